// The lines imscJS presents at given instants, for a batch of TTML documents.
//
// stdin: a JSON list of {"xml": "<tt ...>", "times": [seconds, ...]}.
// stdout: a JSON list with, per document, either {"lines": [[line, ...] per instant]} or {"error": "..."}.
// One process serves a whole test run; the Python side compares the lines with subkit's own reading.
"use strict";

// The parser and the ISD generator only: the package's main module also loads its HTML renderer, which needs
// a browser's `navigator`.
const imsc = {
  fromXML: require("imsc/src/main/js/doc").fromXML,
  generateISD: require("imsc/src/main/js/isd").generateISD,
};

function quiet() {
  // imscJS reports problems through this object; returning false lets it carry on as a player would.
  return { info: () => false, warn: () => false, error: () => false, fatal: () => false };
}

function collect(element, state) {
  if (element.kind === "p") {
    state.lines.push("");
  }
  if (element.kind === "br") {
    state.lines.push("");
  } else if (element.kind === "span" && typeof element.text === "string") {
    if (state.lines.length === 0) state.lines.push("");
    state.lines[state.lines.length - 1] += element.text;
  }
  for (const child of element.contents || []) {
    collect(child, state);
  }
  if (element.kind === "p") {
    state.lines.push("");
  }
}

function linesAt(doc, seconds) {
  const isd = imsc.generateISD(doc, seconds, quiet());
  const state = { lines: [] };
  for (const region of isd.contents || []) {
    collect(region, state);
  }
  return state.lines.map((line) => line.replace(/\s+/g, " ").trim()).filter((line) => line.length > 0);
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const out = [];
  for (const item of JSON.parse(input)) {
    try {
      const doc = imsc.fromXML(item.xml, quiet());
      if (doc === null) {
        out.push({ error: "imscJS did not return a document" });
        continue;
      }
      out.push({ lines: item.times.map((t) => linesAt(doc, t)) });
    } catch (err) {
      out.push({ error: String(err && err.message ? err.message : err) });
    }
  }
  process.stdout.write(JSON.stringify(out));
});
