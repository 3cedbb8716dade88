// Validate WebVTT documents with the W3C validator's parser (npm webvtt-parser), all in one node process.
// stdin: a JSON array of document texts. stdout: a JSON array with, per document, its errors as
// {message, line, col}. Used by tests/formats/test_webvtt_validator.py.
"use strict";
const { WebVTTParser } = require("webvtt-parser");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const documents = JSON.parse(input);
  const results = documents.map((text) => {
    try {
      return new WebVTTParser().parse(text, "metadata").errors
        .map((e) => ({ message: e.message, line: e.line, col: e.col === undefined ? null : e.col }));
    } catch (e) {
      return [{ message: "parser exception: " + String(e), line: 0, col: null }];
    }
  });
  process.stdout.write(JSON.stringify(results));
});
