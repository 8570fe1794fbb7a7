// `sparkbook report merge A.json B.json … [-o OUT.json]`: one report from sharded runs.
import { InputError } from '../errors.js';
import { mergeReports, readReportFile, serializeReport, writeReportFile, renderRecap } from '../report/index.js';
import { parseCommandArgs } from './args.js';
import type { CommandIo } from './io.js';
import { EXIT } from './exit-codes.js';

export async function reportCommand(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('report', args, { output: { type: 'string', short: 'o' } });
  const [verb, ...files] = positionals;
  if (values.help || verb === undefined) {
    io.stdout.write('Usage: sparkbook report merge REPORT.json... [-o MERGED.json]\n\nMerges the --report files of sharded runs (--shard K/N); prints the recap.\n');
    return values.help ? EXIT.ok : EXIT.input;
  }
  if (verb !== 'merge') throw new InputError('usage', `unknown report command '${verb}' (merge)`);
  if (files.length === 0) throw new InputError('usage', 'sparkbook report merge: expected at least one REPORT.json');
  const merged = mergeReports(await Promise.all(files.map((f) => readReportFile(f))));
  if (values.output) await writeReportFile(values.output, merged);
  else io.stdout.write(serializeReport(merged));
  io.stderr.write(renderRecap(merged.hosts.map((h) => ({ ...h })), { color: false, check: merged.check }));
  const failed = merged.hosts.some((h) => h.failed > 0 || h.unreachable > 0);
  return failed ? EXIT.hostFailed : EXIT.ok;
}
