// Starts `dg lsp` for Deluge files and connects VS Code's language client to it over stdio.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("deluge.dg");
  const args = ["lsp"];
  if (config.get("log")) {
    args.push("--log");
  }
  const connections = config.get("connections");
  if (connections) {
    args.push("--connections", connections);
  }
  const command = config.get("path") || "dg";
  const serverOptions = { run: { command, args }, debug: { command, args } };
  const clientOptions = { documentSelector: [{ scheme: "file", language: "deluge" }, { scheme: "untitled", language: "deluge" }] };
  client = new LanguageClient("deluge-dg", "Deluge (dg lsp)", serverOptions, clientOptions);
  client.start();
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
