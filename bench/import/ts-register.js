/**
 * Lets the import benchmark run the TypeScript sources directly (no build, so it does not depend on
 * every other file of the project compiling): .ts files are transpiled on require, per file, and
 * @app/* and @db/* resolve as in tsconfig.json.
 */
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');
const ts = require('typescript');

const root = join(__dirname, '..', '..');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request.startsWith('@app/')) {
    const [lib, ...sub] = request.slice(5).split('/');
    request = join(root, 'libs', lib, 'src', ...sub);
  } else if (request.startsWith('@db/')) {
    request = join(root, 'db', request.slice(4));
  }
  return resolve.call(this, request, ...rest);
};

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  inlineSourceMap: true,
};

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), { fileName: filename, compilerOptions });
  module._compile(outputText, filename);
};
