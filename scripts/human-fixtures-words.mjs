// How the human-speech fixtures' transcripts and recognisers' answers are split into words for
// the word error rate: lower case, hyphens split ("Call-Forward" -> "call forward"), other
// punctuation dropped, apostrophes inside words kept ("party's").
export const words = (t) =>
  t.toLowerCase().replace(/[-–]/g, ' ').replace(/[^a-z' ]+/g, ' ').split(/\s+/).map((w) => w.replace(/^'+|'+$/g, '')).filter(Boolean);
