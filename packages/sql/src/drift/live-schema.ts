import type { OnDeleteAction } from '@evolve/core';

/** A column as the database catalog reports it. */
export interface LiveColumn {
  name: string;
  /** Canonical type text (`character varying(20)`, `int`, `text`). */
  type: string;
  nullable: boolean;
  /** The default expression as the catalog reports it, or null. */
  default: string | null;
  /** The values a CHECK holds the column to (`<column> in (...)`: an enum's), when it has one. */
  enumValues?: string[];
}

export interface LiveIndex {
  name: string;
  columns: string[];
  unique: boolean;
}

export interface LiveForeignKey {
  name: string;
  columns: string[];
  references: { table: string; columns: string[] };
  onDelete: OnDeleteAction;
}

/** A table as the database catalog reports it. */
export interface LiveTable {
  name: string;
  columns: LiveColumn[];
  primaryKey: string[];
  /** Secondary indexes and unique constraints (not the primary key). */
  indexes: LiveIndex[];
  foreignKeys: LiveForeignKey[];
}

/** Tables by name. */
export type LiveSchema = Map<string, LiveTable>;
