export interface Statement {
  sql: string;
  params: Array<string | number | null>;
  /** The index the statement's plan must SEARCH through. */
  index: string;
}
export interface QueryShape {
  name: string;
  path: string;
  statements: Statement[];
}
export interface ShapeContext {
  merchantId: string;
  livemode: boolean;
  /** YYYY-MM-DD (UTC). */
  today: string;
  window: { from: string; to: string };
  payment: { cursor: string; orderNo: string; email: string };
  order: { cursor: string; email: string };
}
export function queryShapes(at: ShapeContext): QueryShape[];
export function explainSql(statement: Pick<Statement, "sql" | "params">): string;
export function planProblems(rows: Array<{ detail: string }>, tables: string[], index?: string): string[];
