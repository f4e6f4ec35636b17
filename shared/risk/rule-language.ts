// Risk rules in Stripe Radar's syntax (issue #15), e.g. `:amount_in_usd: > 1000 and
// :customer_email_domain: in @disposable_domains`. A chevrotain lexer and parser (no eval, which
// Workers forbid) turn the text into a predicate of plain JSON, checked against the attribute
// catalogue while it parses. Every refusal is a RuleSyntaxError naming the offset, line and column
// of the token at fault. Precedence: not, then and, then or; keywords in any case.
import { createToken, EmbeddedActionsParser, EOF, Lexer, type IRecognitionException, type IToken, type TokenType } from "chevrotain";
import { ATTRIBUTES, attributeTypeOf, velocityCounterOf, type AttributeType } from "./attributes";

export type ScalarOp = "=" | "!=" | "<" | ">" | "<=" | ">=" | "like";
export type ListOp = "in" | "not_in";
export type Value = number | string;

/** One comparison; `attribute` is a catalogue name (`amount_in_usd`) or a metadata key as written (`::tier::`). */
export type Comparison =
  | { attribute: string; op: ScalarOp; value: Value }
  | { attribute: string; op: ListOp; values: Value[] }
  | { attribute: string; op: ListOp; list: string };

/** A parsed rule. A parenthesised group is no node of its own: `(a and b) and c` is an and inside an and. */
export type Predicate = { and: Predicate[] } | { or: Predicate[] } | { not: Predicate } | Comparison;

export const MAX_RULE_LENGTH = 2000;
/** Parentheses and `not`s around any one comparison. */
export const MAX_NESTING = 20;
export const MAX_COMPARISONS = 50;
/** More would print as 1e-7, which the language cannot read back. */
const MAX_DECIMALS = 6;
const LIST_NAME = /^[a-z0-9_]{1,40}$/;

export class RuleSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = "RuleSyntaxError";
  }
}

/** `what at line L, column C; hint`, lines and columns from 1, the offset from 0. */
function refusal(text: string, offset: number, what: string, hint?: string): RuleSyntaxError {
  const lines = text.slice(0, offset).split(/\r\n?|\n/);
  const line = lines.length;
  const column = lines[line - 1]!.length + 1;
  return new RuleSyntaxError(`${what} at line ${line}, column ${column}${hint ? `; ${hint}` : ""}`, offset, line, column);
}

const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/ });
const keyword = (word: string) => createToken({ name: word, pattern: new RegExp(word, "i"), longer_alt: Identifier });
const NotIn = keyword("not_in");
const Not = keyword("not");
const In = keyword("in");
const Like = keyword("like");
const And = keyword("and");
const Or = keyword("or");
const Metadata = createToken({ name: "Metadata", pattern: /::[A-Za-z0-9_.-]+::/ });
const Attribute = createToken({ name: "Attribute", pattern: /:[A-Za-z0-9_]+:/ });
// what remains of a colon that opens neither: refused by name rather than as a stray character
const Malformed = createToken({ name: "Malformed", pattern: /::?[^\s:()]*:?/ });
const Str = createToken({ name: "String", pattern: /'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*"/ });
// a quote no String matched: the string never closes on its line
const Unterminated = createToken({ name: "Unterminated", pattern: /['"]/ });
const Num = createToken({ name: "Number", pattern: /\d+(?:\.\d+)?/ });
const ListRef = createToken({ name: "ListRef", pattern: /@[A-Za-z0-9_]*/ });
const LessEq = createToken({ name: "LessEq", pattern: /<=/ });
const GreaterEq = createToken({ name: "GreaterEq", pattern: />=/ });
const NotEq = createToken({ name: "NotEq", pattern: /!=/ });
const Eq = createToken({ name: "Eq", pattern: /=/ });
const Less = createToken({ name: "Less", pattern: /</ });
const Greater = createToken({ name: "Greater", pattern: />/ });
const LParen = createToken({ name: "LParen", pattern: /\(/ });
const RParen = createToken({ name: "RParen", pattern: /\)/ });
const Comma = createToken({ name: "Comma", pattern: /,/ });
const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /\s+/, group: Lexer.SKIPPED });

// first match wins: longer spellings before their prefixes, keywords before Identifier
const TOKENS = [
  WhiteSpace, Metadata, Attribute, Malformed, Str, Unterminated, Num, ListRef,
  LessEq, GreaterEq, NotEq, Eq, Less, Greater, LParen, RParen, Comma,
  NotIn, Not, In, Like, And, Or, Identifier,
];

const SCALAR_OPS = new Map<TokenType, ScalarOp>([
  [Eq, "="], [NotEq, "!="], [Less, "<"], [Greater, ">"], [LessEq, "<="], [GreaterEq, ">="], [Like, "like"],
]);
const RANGE_OPS: readonly ScalarOp[] = ["<", ">", "<=", ">="];

const PAYMENT_ATTRIBUTES = ATTRIBUTES.filter((a) => velocityCounterOf(a.name) === null).map((a) => `:${a.name}:`);

/** The closest attribute to a misspelt one, else what there is. */
function suggestion(name: string): string {
  // Radar counts charges; the same counters here count payments
  const wanted = name.toLowerCase().replace("_charges_", "_payments_");
  let best: string | undefined;
  // close enough to suggest: at most 2 edits, or a quarter of the name's length if more
  let bestDistance = Math.max(2, Math.floor(wanted.length / 4)) + 1;
  if (wanted.length <= 64) {
    for (const { name: candidate } of ATTRIBUTES) {
      const d = editDistance(wanted, candidate);
      if (d < bestDistance) [best, bestDistance] = [candidate, d];
    }
  }
  if (best) return `did you mean :${best}:?`;
  return `the attributes are ${PAYMENT_ATTRIBUTES.join(", ")}, the velocity counters such as :total_payments_per_email_hourly:, and metadata ::key::`;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}

/** A string token's text: quotes off, escapes (\' \" \\ only) resolved. */
function unquote(text: string, token: IToken): string {
  return token.image.slice(1, -1).replace(/\\(.)/g, (escape, char: string, at: number) => {
    if (char === "'" || char === '"' || char === "\\") return char;
    throw refusal(text, token.startOffset + 1 + at, `Unknown escape ${escape} in a string`, `a string escapes only \\', \\" and \\\\`);
  });
}

class RuleParser extends EmbeddedActionsParser {
  private text = "";
  private depth = 0;
  private comparisons = 0;

  constructor() {
    super(TOKENS, { recoveryEnabled: false, maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  parse(text: string, tokens: IToken[]): Predicate {
    this.text = text;
    this.depth = 0;
    this.comparisons = 0;
    this.input = tokens;
    const predicate = this.disjunction();
    const error = this.errors[0];
    if (error) throw syntaxRefusal(text, tokens, error);
    return predicate;
  }

  private refuse(token: IToken, what: string, hint?: string): RuleSyntaxError {
    return refusal(this.text, token.startOffset, what, hint);
  }

  private nest(token: IToken): void {
    this.ACTION(() => {
      if (++this.depth > MAX_NESTING) throw this.refuse(token, `Nesting deeper than ${MAX_NESTING}`, "count the parentheses and nots around a comparison");
    });
  }

  private unnest(): void {
    this.ACTION(() => this.depth--);
  }

  private readonly disjunction = this.RULE("disjunction", (): Predicate => {
    const terms = [this.SUBRULE(this.conjunction)];
    this.MANY(() => {
      this.CONSUME(Or);
      terms.push(this.SUBRULE2(this.conjunction));
    });
    return terms.length === 1 ? terms[0]! : { or: terms };
  });

  private readonly conjunction = this.RULE("conjunction", (): Predicate => {
    const terms = [this.SUBRULE(this.term)];
    this.MANY(() => {
      this.CONSUME(And);
      terms.push(this.SUBRULE2(this.term));
    });
    return terms.length === 1 ? terms[0]! : { and: terms };
  });

  private readonly term = this.RULE("term", (): Predicate =>
    this.OR([
      {
        ALT: () => {
          this.nest(this.CONSUME(Not));
          const inner = this.SUBRULE(this.term);
          this.unnest();
          return { not: inner };
        },
      },
      {
        ALT: () => {
          this.nest(this.CONSUME(LParen));
          const inner = this.SUBRULE(this.disjunction);
          this.CONSUME(RParen);
          this.unnest();
          return inner;
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]),
  );

  private readonly comparison = this.RULE("comparison", (): Comparison => {
    const token = this.OR([{ ALT: () => this.CONSUME(Attribute) }, { ALT: () => this.CONSUME(Metadata) }]);
    let attribute = "";
    let type: AttributeType = "string";
    this.ACTION(() => ({ attribute, type } = this.attribute(token)));
    return this.OR2([
      {
        ALT: (): Comparison => {
          const op = this.SUBRULE(this.listOperator);
          const items = this.SUBRULE(this.listValue);
          return this.ACTION(() => {
            if (items.list) return { attribute, op, list: this.listName(items.list, token, type) };
            if (items.values.length === 0) throw this.refuse(items.open!, "Empty value list", "put at least one value between ( and )");
            return { attribute, op, values: items.values.map((value) => this.value(value, token, type)) };
          });
        },
      },
      {
        ALT: (): Comparison => {
          const opToken = this.OR3(
            [...SCALAR_OPS.keys()].map((tokenType) => ({ ALT: () => this.CONSUME(tokenType) })),
          );
          let op: ScalarOp = "=";
          this.ACTION(() => (op = this.scalarOp(opToken, token, type)));
          const value = this.SUBRULE(this.scalarValue);
          return this.ACTION(() => ({ attribute, op, value: this.value(value, token, type) }));
        },
      },
    ]);
  });

  private readonly listOperator = this.RULE("listOperator", (): ListOp =>
    this.OR([
      { ALT: () => (this.CONSUME(In), "in" as const) },
      { ALT: () => (this.CONSUME(NotIn), "not_in" as const) },
      { ALT: () => (this.CONSUME(Not), this.CONSUME2(In), "not_in" as const) },
    ]),
  );

  private readonly listValue = this.RULE("listValue", (): { list?: IToken; open?: IToken; values: IToken[] } =>
    this.OR([
      { ALT: () => ({ list: this.CONSUME(ListRef), values: [] }) },
      {
        ALT: () => {
          const open = this.CONSUME(LParen);
          const values: IToken[] = [];
          this.MANY_SEP({ SEP: Comma, DEF: () => values.push(this.SUBRULE(this.scalarValue)) });
          this.CONSUME(RParen);
          return { open, values };
        },
      },
    ]),
  );

  private readonly scalarValue = this.RULE("scalarValue", (): IToken =>
    this.OR([{ ALT: () => this.CONSUME(Num) }, { ALT: () => this.CONSUME(Str) }]),
  );

  private attribute(token: IToken): { attribute: string; type: AttributeType } {
    if (++this.comparisons > MAX_COMPARISONS) throw this.refuse(token, `More than ${MAX_COMPARISONS} comparisons`, "a rule holds at most that many");
    const metadata = token.tokenType === Metadata;
    const attribute = metadata ? token.image : token.image.slice(1, -1);
    const type = attributeTypeOf(attribute);
    if (type) return { attribute, type };
    // the lexer let only a key's length through wrong
    if (metadata) throw this.refuse(token, `Metadata key ${token.image} is longer than 40 characters`);
    throw this.refuse(token, `Unknown attribute ${token.image}`, suggestion(attribute));
  }

  private scalarOp(opToken: IToken, attribute: IToken, type: AttributeType): ScalarOp {
    const op = SCALAR_OPS.get(opToken.tokenType)!;
    if (type === "string" && RANGE_OPS.includes(op)) {
      throw this.refuse(opToken, `Operator ${op} compares numbers, but ${attribute.image} is a string`, "use =, !=, in, not_in or like");
    }
    if (type === "number" && op === "like") {
      throw this.refuse(opToken, `Operator like matches strings, but ${attribute.image} is a number`, "use =, !=, <, >, <=, >=, in or not_in");
    }
    return op;
  }

  private value(token: IToken, attribute: IToken, type: AttributeType): Value {
    if (token.tokenType === Str) {
      if (type === "number") throw this.refuse(token, `Expected a number for ${attribute.image} but found ${token.image}`, "write numbers without quotes");
      return unquote(this.text, token);
    }
    if (type === "string") throw this.refuse(token, `Expected a string for ${attribute.image} but found ${token.image}`, `quote it: '${token.image}'`);
    const value = Number(token.image);
    if ((token.image.split(".")[1]?.length ?? 0) > MAX_DECIMALS) throw this.refuse(token, `Number ${token.image} has more than ${MAX_DECIMALS} decimal places`);
    if (value > Number.MAX_SAFE_INTEGER) throw this.refuse(token, `Number ${token.image} is too large`, `the largest is ${Number.MAX_SAFE_INTEGER}`);
    return value;
  }

  private listName(token: IToken, attribute: IToken, type: AttributeType): string {
    const name = token.image.slice(1);
    if (!LIST_NAME.test(name)) throw this.refuse(token, `Invalid list name ${token.image}`, "a list name is 1 to 40 of a-z, 0-9 and _");
    if (type === "number") throw this.refuse(token, `Lists hold strings, but ${attribute.image} is a number`, "compare it with a value list, e.g. in (1, 2)");
    return name;
  }
}

/** A recognition error as the merchant reads it: what was expected, and what came instead. */
function syntaxRefusal(text: string, tokens: IToken[], error: IRecognitionException): RuleSyntaxError {
  const token = error.token;
  const atEnd = token.tokenType === EOF;
  const last = tokens.at(-1);
  // at the end: just after the last token, not after trailing blanks
  const offset = !atEnd ? token.startOffset : last ? last.startOffset + last.image.length : 0;
  const found = atEnd ? "the rule ends" : `found ${token.image}`;
  const previous = (error as IRecognitionException & { previousToken?: IToken }).previousToken;
  const after = previous && previous.tokenType !== EOF ? ` after ${previous.image}` : "";
  const rule = error.context.ruleStack.at(-1);
  if (error.name === "NotAllInputParsedException") return refusal(text, offset, `Expected and, or or the end of the rule but ${found}`);
  if (error.name === "MismatchedTokenException") {
    if (rule === "listOperator") return refusal(text, offset, `Expected in after not but ${found}`);
    if (rule === "listValue") return refusal(text, offset, `Expected , or ) in the value list but ${found}`);
    return refusal(text, offset, `Expected and, or or ) but ${found}`);
  }
  switch (rule) {
    case "comparison":
      return refusal(text, offset, `Expected an operator${after} but ${found}`, "the operators are =, !=, <, >, <=, >=, in, not_in and like");
    case "scalarValue":
      return refusal(text, offset, `Expected a number or a string${after} but ${found}`);
    case "listValue":
      return refusal(text, offset, `Expected a value list such as ('US', 'CA') or a list such as @blocked_emails${after} but ${found}`);
    default:
      return refusal(text, offset, `Expected a condition${after} but ${found}`, "a condition is :attribute: operator value, not condition, or ( condition )");
  }
}

let engine: { lexer: Lexer; parser: RuleParser } | undefined;

/** Built on first use: an isolate that never reads a rule does not pay for the grammar's analysis. */
function grammar() {
  engine ??= { lexer: new Lexer(TOKENS, { positionTracking: "onlyOffset" }), parser: new RuleParser() };
  return engine;
}

function tokenize(text: string, lexer: Lexer): IToken[] {
  const { tokens, errors } = lexer.tokenize(text);
  const bad = tokens.find((t) => t.tokenType === Malformed || t.tokenType === Unterminated);
  const stray = errors[0];
  if (stray && !(bad && bad.startOffset < stray.offset)) {
    throw refusal(text, stray.offset, `Unexpected character ${String.fromCodePoint(text.codePointAt(stray.offset)!)}`);
  }
  if (bad?.tokenType === Malformed) {
    throw refusal(text, bad.startOffset, `Malformed attribute ${bad.image}`, "write :name: for an attribute and ::key:: for a metadata key");
  }
  if (bad) throw refusal(text, bad.startOffset, "Unterminated string", `close it with ${bad.image} on the same line`);
  return tokens;
}

/** Parentheses must pair before the grammar runs, so the error points at the one left alone. */
function checkParentheses(text: string, tokens: IToken[]): void {
  const open: IToken[] = [];
  for (const token of tokens) {
    if (token.tokenType === LParen) open.push(token);
    else if (token.tokenType === RParen && !open.pop()) throw refusal(text, token.startOffset, "Unmatched )", "no ( before it is still open");
  }
  const unclosed = open.at(-1);
  if (unclosed) throw refusal(text, unclosed.startOffset, "Unclosed (", "close it with )");
}

/** Parses a rule's predicate; throws RuleSyntaxError at the first fault. */
export function parseRule(text: string): Predicate {
  if (text.length > MAX_RULE_LENGTH) throw refusal(text, MAX_RULE_LENGTH, `Rule longer than ${MAX_RULE_LENGTH} characters`, `it has ${text.length}`);
  if (text.trim() === "") throw refusal(text, 0, "Empty rule", "write a condition such as :amount_in_usd: > 1000");
  const { lexer, parser } = grammar();
  const tokens = tokenize(text, lexer);
  checkParentheses(text, tokens);
  return parser.parse(text, tokens);
}

/**
 * A predicate as rule text that parses back to it: canonical spacing, single quotes, keywords in
 * lower case, and every compound operand of and, or and not in parentheses.
 */
export function printRule(p: Predicate): string {
  if ("and" in p) return p.and.map(operand).join(" and ");
  if ("or" in p) return p.or.map(operand).join(" or ");
  if ("not" in p) return `not ${operand(p.not)}`;
  const attribute = p.attribute.startsWith("::") ? p.attribute : `:${p.attribute}:`;
  if ("list" in p) return `${attribute} ${p.op} @${p.list}`;
  if ("values" in p) return `${attribute} ${p.op} (${p.values.map(printValue).join(", ")})`;
  return `${attribute} ${p.op} ${printValue(p.value)}`;
}

const operand = (p: Predicate) => ("and" in p || "or" in p ? `(${printRule(p)})` : printRule(p));
const printValue = (v: Value) => (typeof v === "number" ? String(v) : `'${v.replace(/[\\']/g, "\\$&")}'`);

function* comparisonsOf(p: Predicate): Generator<Comparison> {
  if ("and" in p) for (const q of p.and) yield* comparisonsOf(q);
  else if ("or" in p) for (const q of p.or) yield* comparisonsOf(q);
  else if ("not" in p) yield* comparisonsOf(p.not);
  else yield p;
}

/** The attributes a predicate reads, each once, in the order written: the facts its evaluation needs. */
export const attributesOf = (p: Predicate): string[] => [...new Set(Array.from(comparisonsOf(p), (c) => c.attribute))];

/** The lists a predicate names, each once, in the order written. */
export const listsOf = (p: Predicate): string[] => [...new Set(Array.from(comparisonsOf(p)).flatMap((c) => ("list" in c ? [c.list] : [])))];
