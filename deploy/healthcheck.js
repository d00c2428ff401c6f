// Container health check: exit 0 only when this app answers 200 on /health/ready over loopback.
// The certificate is issued for the service names, not 127.0.0.1, so it is not verified on this hop.
'use strict';
const tlsDisabled = ['1', 'true', 'yes', 'on'].includes(String(process.env.TLS_DISABLED ?? '').toLowerCase());
const client = require(tlsDisabled ? 'node:http' : 'node:https');
const request = client.get(
  {
    host: '127.0.0.1',
    port: Number(process.env.HTTP_PORT),
    path: '/health/ready',
    rejectUnauthorized: false,
    timeout: 4000,
  },
  (response) => {
    response.resume();
    process.exit(response.statusCode === 200 ? 0 : 1);
  },
);
request.on('timeout', () => request.destroy(new Error('timeout')));
request.on('error', () => process.exit(1));
