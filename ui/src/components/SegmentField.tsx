import { useLayoutEffect, useRef, type InputHTMLAttributes } from 'react'

/**
 * Length of the token starting at `start` (a quoted value, a word, an operator or one character), so the mark
 * covers what the parser stumbled on rather than a single letter.
 */
export function tokenLength(text: string, start: number): number {
  const m = /^(?:"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|!=|[^\s(),=!"']+|.)/.exec(text.slice(start))
  return m ? m[0].length : 0
}

/**
 * A one-line monospace input for a segment rule that marks the parse error's column in place: a mirror of the
 * text, aligned under the transparent input and scrolled with it, paints the offending token. At the end of the
 * text (a missing ")" or value) a blank cell after the last character is marked.
 */
export function SegmentField({
  value,
  errorColumn,
  ...inputProps
}: { value: string; errorColumn?: number | null } & Omit<InputHTMLAttributes<HTMLInputElement>, 'value'>) {
  const inputRef = useRef<HTMLInputElement>(null)
  const mirrorRef = useRef<HTMLDivElement>(null)
  const syncScroll = () => {
    if (mirrorRef.current && inputRef.current) mirrorRef.current.scrollLeft = inputRef.current.scrollLeft
  }
  // Typing moves the input's scroll position without a scroll event.
  useLayoutEffect(syncScroll)

  const start = errorColumn && errorColumn > 0 ? Math.min(errorColumn - 1, value.length) : null
  const length = start === null ? 0 : tokenLength(value, start)

  return (
    <div className="relative rounded-md bg-white">
      {start !== null && (
        <div
          ref={mirrorRef}
          aria-hidden="true"
          className="pointer-events-none absolute inset-0 overflow-hidden whitespace-pre rounded-md border border-transparent px-3 py-2 font-mono text-sm text-transparent"
          data-testid="segment-mirror"
        >
          {value.slice(0, start)}
          <mark
            className="rounded-sm bg-rose-200 text-transparent underline decoration-rose-600 decoration-wavy underline-offset-4"
            data-testid="segment-error-mark"
            data-column={errorColumn}
          >
            {length > 0 ? value.slice(start, start + length) : '\u00a0'}
          </mark>
          {value.slice(start + length)}
          {/* room to scroll as far as the input can, past its last character */}
          {'\u00a0'}
        </div>
      )}
      <input
        ref={inputRef}
        {...inputProps}
        value={value}
        onScroll={syncScroll}
        onSelect={syncScroll}
        className={`input relative font-mono ${start !== null ? 'bg-transparent' : ''}`}
        spellCheck={false}
      />
    </div>
  )
}
