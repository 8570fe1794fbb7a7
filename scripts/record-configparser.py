#!/usr/bin/env python3
# Records how Python's configparser reads INI texts with the options ansible-core uses for
# ansible.cfg (ConfigParser(inline_comment_prefixes=(';',)), values read raw), into
# test/fixtures/ini/configparser-cases.json, which test/unit/runner/text/ini.test.ts replays
# against runner/text/ini.ts. Run: python3 scripts/record-configparser.py
import configparser
import json
import os
import sys

CASES = [
    ("equals and colon", "[defaults]\ninventory = ./hosts\nforks: 10\n"),
    ("no spaces around the delimiter", "[defaults]\nremote_user=ubuntu\ntimeout:30\n"),
    ("first delimiter splits", "[defaults]\na = b = c\nd: e = f\ng = h: i\n"),
    ("keys are lowercased and trimmed, values trimmed", "[defaults]\n  Remote_User   =   ubuntu   \nFORKS=5\n"),
    ("full-line comments with # and ;", "# top\n; top too\n[defaults]\n# a comment\n  ; indented comment\nforks = 5\n"),
    ("inline ; comment after whitespace", "[defaults]\nforks = 5 ; five\npath = a;b\nx = ;starts\n"),
    ("# is never inline", "[defaults]\nremote_user = ubuntu # the cloud user\n"),
    ("inline ; after a tab", "[defaults]\nforks = 7\t; seven\n"),
    ("continuation lines", "[defaults]\nroles_path = roles\n    ~/.ansible/roles\n    /etc/ansible/roles\nforks = 3\n"),
    ("blank line inside a value is kept", "[defaults]\nvalue = one\n\n  two\nnext = 1\n"),
    ("trailing blank lines dropped", "[defaults]\nvalue = one\n  two\n\n\n[other]\nk = v\n"),
    ("comment line inside a value is dropped", "[defaults]\nvalue = one\n# comment\n  two\n"),
    ("indented comment-looking continuation", "[defaults]\nvalue = one\n  ;two\n  three\n"),
    ("empty value", "[defaults]\nvault_password_file =\nremote_user:\n"),
    ("several sections", "[defaults]\nforks = 1\n[privilege_escalation]\nbecome = True\nbecome_user = root\nbecome_method = sudo\n"),
    ("DEFAULT section", "[DEFAULT]\nforks = 9\n[defaults]\nremote_user = x\n"),
    ("section name with spaces and brackets", "[ my section ]\na = 1\n[a]b]\nc = 2\n"),
    ("text after a section header", "[defaults] trailing\nforks = 4\n"),
    ("indented section header", "[defaults]\nforks = 4\n  [privilege_escalation]\nbecome = yes\n"),
    ("windows line endings", "[defaults]\r\nforks = 6\r\nremote_user = win\r\n"),
    ("no final newline", "[defaults]\nforks = 8"),
    ("unicode values", "[defaults]\nremote_user = jöhn\n"),
    ("percent signs stay raw", "[defaults]\nx = 100%\ny = %(forks)s\n"),
    ("indented first key", "[defaults]\n  forks = 2\n  remote_user = u\n"),
    ("continuation deeper than an indented key", "[defaults]\n  a = 1\n    b = 2\n  c = 3\n"),
    ("tab indentation continues", "[defaults]\na = 1\n\tmore\n"),
    ("key with spaces inside", "[defaults]\nmy key = v\n"),
    ("empty file", ""),
    ("only comments", "# nothing\n; here\n"),
    ("empty section", "[defaults]\n[privilege_escalation]\nbecome = true\n"),
    ("error: key before any section", "forks = 5\n[defaults]\n"),
    ("error: duplicate section", "[defaults]\na = 1\n[other]\n[defaults]\nb = 2\n"),
    ("error: duplicate key", "[defaults]\nforks = 1\nFORKS = 2\n"),
    ("error: duplicate key in DEFAULT", "[DEFAULT]\na = 1\na = 2\n"),
    ("error: line without delimiter", "[defaults]\nforks = 1\njust words\n"),
    ("error: several bad lines", "[defaults]\nbad one\nok = 1\nbad two\n"),
    ("error: empty key", "[defaults]\n= value\n"),
    ("error: unclosed section header", "[defaults\nforks = 1\n"),
    ("error: comment before section then key", "# c\nkey = v\n"),
]


def record(name, text):
    parser = configparser.ConfigParser(inline_comment_prefixes=(';',))
    try:
        parser.read_string(text)
    except configparser.ParsingError as e:
        if isinstance(e, configparser.MissingSectionHeaderError):
            return {"name": name, "text": text, "error": {"type": "MissingSectionHeaderError", "lines": [e.lineno]}}
        return {"name": name, "text": text, "error": {"type": "ParsingError", "lines": [n for n, _ in e.errors]}}
    except (configparser.DuplicateSectionError, configparser.DuplicateOptionError) as e:
        return {"name": name, "text": text, "error": {"type": type(e).__name__, "lines": [e.lineno]}}
    sections = {s: {k: parser.get(s, k, raw=True) for k in parser.options(s)} for s in parser.sections()}
    defaults = {k: v for k, v in parser.defaults().items()}
    return {"name": name, "text": text, "sections": sections, "defaults": defaults}


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "ini", "configparser-cases.json")
    doc = {
        "comment": "Recorded by scripts/record-configparser.py: how Python's configparser (ConfigParser(inline_comment_prefixes=(';',)), as ansible-core reads ansible.cfg) reads each text. sections lists each section's keys including [DEFAULT] fallbacks, as parser.options() does.",
        "python": sys.version.split()[0],
        "cases": [record(n, t) for n, t in CASES],
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"{len(CASES)} cases -> {os.path.relpath(out)}")


main()
