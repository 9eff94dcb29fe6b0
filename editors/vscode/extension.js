// 评分 pingfen for VS Code: highlighting comes from the grammar in package.json; everything
// else (diagnostics, hover, definitions, references, completion, formatting, symbols,
// quick fixes) from `pingfen lsp`, started here over stdio.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("pingfen");
  const [command, ...args] = config.get("server.command", ["pingfen", "lsp"]);
  const lang = config.get("lang", "zh");
  const serverOptions = { command, args, options: { env: { ...process.env, PINGFEN_LANG: lang } } };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "pingfen" },
      { scheme: "untitled", language: "pingfen" },
    ],
    initializationOptions: { lang },
  };
  client = new LanguageClient("pingfen", "评分 pingfen", serverOptions, clientOptions);
  client.start().catch((error) => {
    vscode.window.showErrorMessage(
      `无法启动 pingfen lsp（${command}）：${error.message}。请安装：pip install 'pingfen[lsp]'，` +
        "或在设置 pingfen.server.command 中指定命令。",
    );
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
