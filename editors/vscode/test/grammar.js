// Tokenizes Deluge lines with the TextMate grammar (as VS Code does) and checks their scopes.
// Run: npm install && npm test
const assert = require("assert");
const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;
const onigLib = oniguruma.loadWASM(wasm).then(() => ({
  createOnigScanner: (p) => new oniguruma.OnigScanner(p),
  createOnigString: (s) => new oniguruma.OnigString(s),
}));
const file = path.join(__dirname, "..", "syntaxes", "deluge.tmLanguage.json");
const registry = new vsctm.Registry({
  onigLib,
  loadGrammar: async () => vsctm.parseRawGrammar(fs.readFileSync(file, "utf8"), file),
});

// [line, token text, a scope it must have]
const cases = [
  ["// a comment", "// a comment", "comment.line.double-slash.deluge"],
  ['x = "a\\"b";', '\\"', "constant.character.escape.deluge"],
  ["if(x == 1)", "if", "keyword.control.deluge"],
  ["for each  r in rows", "each", "keyword.control.deluge"],
  ["\turl :\"https://example.com\"", "url", "variable.other.property.deluge"],
  ["r = zoho.crm.getRecordById(\"Leads\", id);", "zoho.crm.getRecordById", "support.function.zoho.deluge"],
  ["n = s.length();", "length", "entity.name.function.deluge"],
  ["void f(map m)", "void", "storage.type.deluge"],
  ["x = 1.5e3;", "1.5e3", "constant.numeric.deluge"],
  ["b = true && !c;", "true", "constant.language.deluge"],
];

registry.loadGrammar("source.deluge").then((g) => {
  for (const [line, text, scope] of cases) {
    const { tokens } = g.tokenizeLine(line, vsctm.INITIAL);
    const t = tokens.find((t) => line.substring(t.startIndex, t.endIndex) === text);
    assert(t, `no token '${text}' in '${line}'`);
    assert(t.scopes.includes(scope), `'${text}' in '${line}' has ${t.scopes}, not ${scope}`);
  }
  console.log(`grammar: ${cases.length} cases ok`);
});
