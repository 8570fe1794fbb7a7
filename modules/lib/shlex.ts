// Splits a command line into words the way Ansible's command module does (Python's
// shlex.split, POSIX mode, no comments), so `command: echo "a b"` runs echo with one argument.

/** The words of `line`, or a message when a quote or a trailing backslash is left open. */
export function shlexWords(line: string): { words: string[] } | { error: string } {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i] as string;
    if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { error: 'no closing quotation' };
      word += line.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return { error: 'no closing quotation' };
        const d = line[i] as string;
        if (d === '"') break;
        // In double quotes a backslash escapes only a quote or a backslash, as in Python's shlex.
        if (d === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) {
          word += line[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      i++;
    } else if (c === '\\') {
      if (i + 1 >= line.length) return { error: 'no escaped character' };
      word += line[i + 1];
      i += 2;
    } else {
      word += c;
      i++;
    }
  }
  if (inWord) words.push(word);
  return { words };
}
