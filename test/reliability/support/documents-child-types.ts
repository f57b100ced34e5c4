/** Options of fixtures/documents-child.ts. */
export interface DocumentsChildArgs {
  role: 'sweep' | 'writer' | 'reader';
  dialect: 'postgres' | 'sqlite';
  url: string;
  goFile?: string;
  batchSize?: number;
  rate?: number;
  /** sweep: keep sweeping until this long has passed (at least one sweep). reader: read for this long. */
  durationMs?: number;
  printEvents?: boolean;
  /** writer: how many increments, over counters 1..hot, in an order from this seed. */
  writes?: number;
  hot?: number;
  seed?: number;
}

export interface WriterReport {
  role: 'writer';
  increments: Record<string, number>;
  errors: number;
  stats: { upgraded: number; writtenBack: number; conflicts: number };
}

export interface SweepReport {
  role: 'sweep';
  rounds: number;
  scanned: number;
  upgraded: number;
  conflicts: number;
  failed: number;
  resumed: number;
}

export interface ReaderReport {
  role: 'reader';
  reads: number;
  stats: { upgraded: number; writtenBack: number; conflicts: number; writeBackErrors: number };
}
