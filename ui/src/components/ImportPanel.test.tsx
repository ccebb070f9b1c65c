import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { ImportPanel } from './ImportPanel'
import { calls, json, mockFetch } from '../test/mocks'

describe('ImportPanel', () => {
  it('uploads async, polls /imports/{id} showing progress, then shows counts and row errors', async () => {
    let polls = 0
    const fetchMock = mockFetch([
      ['POST', '/recipients/import', () => json({ id: 'imp-1', status: 'RUNNING', bytes_read: 0, bytes_total: 1000 }, 202)],
      [
        'GET',
        '/imports/imp-1',
        () =>
          ++polls < 2
            ? { id: 'imp-1', status: 'RUNNING', rows: 10, bytes_read: 400, bytes_total: 1000, errors: [] }
            : {
                id: 'imp-1',
                status: 'COMPLETED',
                rows: 25,
                imported: 20,
                updated: 2,
                skipped: 3,
                bytes_read: 1000,
                bytes_total: 1000,
                errors: [
                  { row: 4, column: 'email', message: 'invalid email' },
                  { row: 9, column: 'name', message: 'required' },
                ],
              },
      ],
    ])
    const onFinished = vi.fn()
    const user = userEvent.setup()
    render(<ImportPanel onFinished={onFinished} />)

    expect(screen.getByTestId('import-submit')).toBeDisabled()
    const file = new File(['name,email\nAnn,a@x.io\n'], 'people.csv', { type: 'text/csv' })
    await user.upload(screen.getByTestId('import-file-input'), file)
    expect(screen.getByTestId('import-dropzone')).toHaveTextContent('people.csv')
    await user.type(screen.getByTestId('import-tags'), 'newsletter')
    await user.click(screen.getByTestId('import-submit'))

    const progress = await screen.findByTestId('import-progress')
    await waitFor(() => expect(progress).toHaveAttribute('aria-valuenow', '400'))
    expect(progress).toHaveAttribute('aria-valuemax', '1000')

    const result = await screen.findByTestId('import-result', {}, { timeout: 3000 })
    expect(screen.getByTestId('import-imported')).toHaveTextContent('20')
    expect(screen.getByTestId('import-skipped')).toHaveTextContent('3')
    const rows = screen.getAllByTestId('import-error-row')
    expect(rows).toHaveLength(2)
    expect(rows[0]).toHaveTextContent(/4\s*email\s*invalid email/)
    expect(result).toHaveAttribute('data-status', 'COMPLETED')
    expect(onFinished).toHaveBeenCalledTimes(1)

    const post = fetchMock.mock.calls.find(([, init]) => init?.method === 'POST')!
    const body = post[1]!.body as FormData
    expect(body.get('async')).toBe('true')
    expect(body.get('tags')).toBe('newsletter')
    expect((body.get('file') as File).name).toBe('people.csv')
    expect(calls(fetchMock).filter((c) => c === 'GET /imports/imp-1')).toHaveLength(2)
  })

  it('accepts a dropped file', async () => {
    mockFetch([])
    render(<ImportPanel />)
    const file = new File(['x'], 'drop.csv', { type: 'text/csv' })
    const zone = screen.getByTestId('import-dropzone')
    const { fireEvent } = await import('@testing-library/react')
    fireEvent.drop(zone, { dataTransfer: { files: [file] } })
    expect(zone).toHaveTextContent('drop.csv')
    expect(screen.getByTestId('import-submit')).toBeEnabled()
  })
})
