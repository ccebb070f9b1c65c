import type { LinkClicks } from '../api'
import { formatNumber, formatPercent } from '../format'
import { Loading } from './Loading'

/**
 * Clicks per tracked link of a campaign (GET /campaigns/{id}/links), in the order the links appear in the body:
 * all clicks, recipients who clicked it, and those recipients as a share of the sent messages.
 */
export function LinkClicksTable({ links, loaded, sent }: { links: LinkClicks[]; loaded: boolean; sent: number }) {
  return (
    <section className="card" aria-labelledby="link-clicks-heading" data-testid="link-clicks">
      <h2 id="link-clicks-heading" className="text-lg font-semibold">
        Clicks per link
      </h2>
      {!loaded ? (
        <Loading label="Loading links…" />
      ) : links.length === 0 ? (
        <p className="mt-2 text-sm text-slate-500" data-testid="link-clicks-empty">
          No tracked links yet: they are listed once the first message is rendered (absolute http(s) links of the HTML body).
        </p>
      ) : (
        <div className="mt-2 overflow-x-auto">
          <table className="stack-table min-w-full divide-y divide-slate-200" data-testid="link-clicks-table">
            <thead>
              <tr>
                <th scope="col" className="th">
                  Link
                </th>
                <th scope="col" className="th text-right">
                  Clicks
                </th>
                <th scope="col" className="th text-right">
                  Recipients
                </th>
                <th scope="col" className="th text-right">
                  Of sent
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {links.map((l, i) => (
                <tr key={i} data-testid="link-row" data-url={l.url}>
                  <td className="td max-w-md font-mono text-xs break-all" data-testid="link-url">
                    <a href={l.url} target="_blank" rel="noopener noreferrer" className="text-sky-700 underline">
                      {l.url}
                    </a>
                  </td>
                  <td className="td text-right tabular-nums" data-label="Clicks" data-testid="link-clicks-count">
                    {formatNumber(l.clicks)}
                  </td>
                  <td className="td text-right tabular-nums" data-label="Recipients" data-testid="link-unique-clicks">
                    {formatNumber(l.unique_clicks)}
                  </td>
                  <td className="td text-right tabular-nums" data-label="Of sent" data-testid="link-unique-rate">
                    {formatPercent(l.unique_clicks, sent)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
