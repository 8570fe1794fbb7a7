#!/bin/sh
# Regenerates test/fixtures/ansible/vault/: texts encrypted by the real ansible-vault, with their
# passwords, for the decryptor's unit tests and the CLI test. Needs ansible-core (Debian package).
# Every run makes new salts, so the files change; the plaintexts and passwords do not.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
out="$here/test/fixtures/ansible/vault"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%s' 'correct horse battery' > "$out/password.txt"
printf '%s' 'prod-vault-pass' > "$work/prod"
# Inline values (1.1), one per case, as a vars file; and one labelled 1.2 value. encrypt_string
# ends its output without a newline, hence the echo. (It refuses an empty string.)
value() {
  ansible-vault encrypt_string "$@" 2>/dev/null
  echo
}
{
  value --vault-password-file "$out/password.txt" 'hunter2-db-secret' --name db_password
  value --vault-password-file "$out/password.txt" "$(printf 'multi\nline secret')" --name multiline
  value --vault-password-file "$out/password.txt" 'exactly16bytes!!' --name block_sized
  value --vault-password-file "$out/password.txt" 'ünïcødé-sécret' --name unicode
} > "$out/inline-vars.yml"
value --vault-id "prod@$work/prod" 'labelled-secret-42' --name labelled > "$out/inline-1.2.yml"
printf '%s' 'prod-vault-pass' > "$out/password-prod.txt"
# A whole encrypted vars file (group_vars style).
cat > "$work/secrets.yml" <<'YAML'
api_token: tok-9f8e7d6c5b4a
admin_user: sparkadmin
become_ok: yes
port: 0644
YAML
cp "$work/secrets.yml" "$out/whole-file.plain.yml"
ansible-vault encrypt --vault-password-file "$out/password.txt" --output "$out/whole-file.yml" "$work/secrets.yml" 2>/dev/null
echo "wrote $out"
