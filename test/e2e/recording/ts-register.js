/**
 * Lets a child process run the TypeScript sources directly, as jest does: .ts files are transpiled
 * on require (per file, like ts-jest's isolatedModules), and @app/* and @db/* resolve as in
 * tsconfig.json.
 */
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

// Transpiled output is cached by content, so a child started many times (the crash test) does not
// load the compiler each time.
const cacheDir = join(tmpdir(), 'callcenter-ts-register-cache');
mkdirSync(cacheDir, { recursive: true });
let ts = null;

const root = join(__dirname, '..', '..', '..');
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

function transpile(source, filename) {
  ts = ts ?? require('typescript');
  const compilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    esModuleInterop: true,
    inlineSourceMap: true,
  };
  return ts.transpileModule(source, { fileName: filename, compilerOptions }).outputText;
}

require.extensions['.ts'] = (module, filename) => {
  const source = readFileSync(filename, 'utf8');
  const cached = join(cacheDir, `${createHash('sha256').update(filename).update('\0').update(source).digest('hex')}.js`);
  let code;
  try {
    code = readFileSync(cached, 'utf8');
  } catch {
    code = transpile(source, filename);
    const temp = `${cached}.${process.pid}.tmp`;
    writeFileSync(temp, code);
    renameSync(temp, cached);
  }
  module._compile(code, filename);
};
