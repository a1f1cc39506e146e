// The whole body of a Node request as UTF-8 text (the loopback fakes that take POST/PUT bodies).
export const readBody = (req) =>
  new Promise((ok, fail) => {
    const parts = [];
    req.on('data', (c) => parts.push(c));
    req.on('end', () => ok(Buffer.concat(parts).toString('utf8')));
    req.on('error', fail);
  });
