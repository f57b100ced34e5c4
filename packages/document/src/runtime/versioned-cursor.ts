import type { Row } from '@evolve/core';
import type { FindOptions, SortSpec } from './document-store.ts';
import { type Projection, projectDocument } from './project-document.ts';

/** Reads raw documents for the cursor's current options. */
export type CursorSource = (options: FindOptions) => AsyncIterable<Row>;
/** Upgrades a page of raw documents (and writes them back when enabled). */
export type CursorPresenter<T> = (raw: readonly Row[]) => Promise<T[]>;

const PAGE = 100;

/**
 * The cursor `versioned(...).find()` returns: the driver cursor's common surface (`sort`, `limit`, `skip`,
 * `project`, `toArray`, `next`, `hasNext`, `forEach`, async iteration, `close`), yielding upgraded documents.
 */
export class VersionedCursor<T = Row> implements AsyncIterable<T> {
  #options: FindOptions = {};
  #projection: Projection | undefined;
  #pageIterator: AsyncGenerator<T[]> | undefined;
  #buffer: T[] = [];
  #position = 0;
  readonly #source: CursorSource;
  readonly #present: CursorPresenter<T>;

  constructor(
    source: CursorSource,
    present: CursorPresenter<T>,
    options: FindOptions & { projection?: Projection } = {},
  ) {
    this.#source = source;
    this.#present = present;
    const { projection, ...find } = options;
    this.#options = find;
    this.#projection = projection;
  }

  sort(sort: SortSpec): this {
    this.#options = { ...this.#options, sort };
    return this;
  }

  limit(limit: number): this {
    this.#options = { ...this.#options, limit };
    return this;
  }

  skip(skip: number): this {
    this.#options = { ...this.#options, skip };
    return this;
  }

  project(projection: Projection): this {
    this.#projection = projection;
    return this;
  }

  /** Upgraded documents page by page: per-document work stays a loop, not an async hop. */
  async *#pages(): AsyncGenerator<T[]> {
    let page: Row[] = [];
    const flush = async () => {
      const shown = await this.#present(page);
      page = [];
      const projection = this.#projection;
      return projection ? shown.map((d) => projectDocument(d as Row, projection) as T) : shown;
    };
    for await (const raw of this.#source(this.#options)) {
      page.push(raw);
      if (page.length >= PAGE) yield await flush();
    }
    if (page.length) yield await flush();
  }

  async #fill(): Promise<boolean> {
    this.#pageIterator ??= this.#pages();
    while (this.#buffer.length === this.#position) {
      const result = await this.#pageIterator.next();
      if (result.done) return false;
      this.#buffer = result.value;
      this.#position = 0;
    }
    return true;
  }

  async next(): Promise<T | null> {
    if (!(await this.#fill())) return null;
    return this.#buffer[this.#position++]!;
  }

  async hasNext(): Promise<boolean> {
    return this.#fill();
  }

  async toArray(): Promise<T[]> {
    const out = this.#buffer.slice(this.#position);
    this.#buffer = [];
    this.#position = 0;
    this.#pageIterator ??= this.#pages();
    for await (const page of { [Symbol.asyncIterator]: () => this.#pageIterator! }) {
      out.push(...page);
    }
    return out;
  }

  async forEach(fn: (doc: T) => unknown): Promise<void> {
    for await (const doc of this) if ((await fn(doc)) === false) break;
  }

  async close(): Promise<void> {
    await this.#pageIterator?.return(undefined);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    while (await this.#fill()) {
      while (this.#position < this.#buffer.length) yield this.#buffer[this.#position++]!;
    }
  }
}
