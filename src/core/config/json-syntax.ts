import { printParseErrorCode, type ParseErrorCode } from 'jsonc-parser';

/**
 * jsonc-parser's error codes in words a user reads in the Problems view or a terminal
 * ("expected '}'", not "CloseBraceExpected"). Keyed by the code's name, since the codes are a
 * const enum that a bundler compiling file by file cannot read.
 */
const WORDS: Record<ReturnType<typeof printParseErrorCode>, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':'",
  CommaExpected: "expected ','",
  CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'",
  EndOfFileExpected: 'unexpected text after the end of the JSON value',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'comment not closed',
  UnexpectedEndOfString: 'string not closed',
  UnexpectedEndOfNumber: 'number cut short',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
  '<unknown ParseErrorCode>': 'syntax error',
};

export function jsonSyntaxError(code: ParseErrorCode): string {
  return WORDS[printParseErrorCode(code)];
}
