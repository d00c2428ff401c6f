import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestPki {
  caFile: string;
  /** Certificate and key for 127.0.0.1/localhost, signed by the CA. */
  certFile: string;
  keyFile: string;
  /** Certificate and key in one PEM (baresip's sip_certificate). */
  combinedFile: string;
}

/** A throwaway CA and one server certificate for loopback, made with openssl for one test file. */
export function createTestPki(dir: string): TestPki {
  mkdirSync(dir, { recursive: true });
  const p = (name: string) => join(dir, name);
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', p('ca.key')]);
  openssl(['req', '-x509', '-new', '-key', p('ca.key'), '-sha256', '-days', '2', '-subj', '/CN=Test CA', '-out', p('ca.pem')]);
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', p('server.key')]);
  openssl(['req', '-new', '-key', p('server.key'), '-subj', '/CN=localhost', '-out', p('server.csr')]);
  writeFileSync(p('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
  openssl([
    'x509', '-req', '-in', p('server.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial',
    '-days', '2', '-sha256', '-extfile', p('ext.cnf'), '-out', p('server.pem'),
  ]);
  writeFileSync(p('combined.pem'), Buffer.concat([readFileSync(p('server.pem')), readFileSync(p('server.key'))]));
  return { caFile: p('ca.pem'), certFile: p('server.pem'), keyFile: p('server.key'), combinedFile: p('combined.pem') };
}
