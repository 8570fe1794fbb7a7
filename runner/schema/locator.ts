// What the validator asks of the file its input came from: where a JSON path's value, key or
// string text stands. The validator owns this interface; runner/load/locate.ts implements it on YAML.
import type { SourceLocation } from '../errors.js';

/** A path into a document: mapping keys and sequence indexes. */
export type JsonPath = readonly (string | number)[];

/** Everything the validator and the loader ask of positions in one file. */
export interface Locator {
  readonly file: string;
  /** Where the value at `path` starts (the deepest existing node on the way). */
  value(path: JsonPath): SourceLocation;
  /** Where the key of the last step of `path` is; for an index or the root, the value. */
  key(path: JsonPath): SourceLocation;
  /**
   * Where the text of the string at `path` starts: after an opening quote, or on the first
   * content line of a block scalar, so an offset into the string maps to the right column.
   */
  text(path: JsonPath): SourceLocation;
}
