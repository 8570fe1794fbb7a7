// Tests of runner/report/change-line.ts: change lines read like Terraform's, secrets masked.
import assert from 'node:assert/strict';
import { renderChangeLine } from '../../../../runner/report/change-line.js';
import { Secret } from '../../../../runner/shell/secret.js';

describe('renderChangeLine', () => {
  it('reads like a Terraform plan line', () => {
    assert.equal(renderChangeLine({ action: '~', target: 'sysctl net.ipv4.ip_forward', summary: '0 → 1' }), '~ sysctl net.ipv4.ip_forward: 0 → 1');
    assert.equal(renderChangeLine({ action: '+', target: '/etc/x', summary: '' }), '+ /etc/x');
  });

  it('names a clipped target once when the summary holds it whole', () => {
    const cmd = 'umask 022 && curl -fsSL --retry 2 -o /usr/share/keyrings/tailscale-archive-keyring.gpg.tmp https://example.test/key.gpg';
    const target = `${cmd.slice(0, 79)}…`;
    assert.equal(renderChangeLine({ action: '!', target, summary: `run: ${cmd}` }), `! run: ${cmd}`);
  });

  it('masks a secret value in the summary', () => {
    const secret = new Secret('s3cr3t-password-value');
    const line = renderChangeLine({ action: '!', target: 'command', summary: `login with ${secret.reveal()}` });
    assert.ok(!line.includes('s3cr3t-password-value'));
    assert.ok(line.includes('«redacted»'));
  });
});
