import { useEffect, useState } from 'react'
import { NavLink, Outlet, useLocation } from 'react-router'
import { useAuth } from '../auth'

const links = [
  { to: '/', label: 'Campaigns', testId: 'nav-campaigns', end: true, write: false },
  { to: '/campaigns/new', label: 'New campaign', testId: 'nav-new-campaign', end: true, write: true },
  { to: '/recipients', label: 'Recipients', testId: 'nav-recipients', end: false, write: false },
  { to: '/suppressions', label: 'Suppressions', testId: 'nav-suppressions', end: false, write: false },
  { to: '/ops', label: 'Operations', testId: 'nav-ops', end: false, write: false },
]

const linkClass = ({ isActive }: { isActive: boolean }) =>
  `block rounded-md px-3 py-2 text-sm font-medium ${isActive ? 'bg-sky-800 text-white' : 'text-sky-100 hover:bg-sky-800/60'}`

export function Layout() {
  const [open, setOpen] = useState(false)
  const location = useLocation()
  const { me, canWrite, logout } = useAuth()
  // Collapse the phone menu after navigating.
  useEffect(() => setOpen(false), [location.pathname])

  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:p-2"
      >
        Skip to content
      </a>
      <header className="bg-sky-900 text-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2 px-4 py-3">
          <NavLink to="/" className="text-lg font-bold tracking-tight text-white">
            Herald <span className="font-normal text-sky-200">console</span>
          </NavLink>
          <button
            type="button"
            className="btn border border-sky-700 text-white sm:hidden"
            aria-expanded={open}
            aria-controls="main-nav"
            onClick={() => setOpen((o) => !o)}
            data-testid="nav-toggle"
          >
            <span aria-hidden>☰</span> Menu
          </button>
          {/* One nav for all widths (stable test ids); on phones it folds behind the Menu button. */}
          <nav id="main-nav" aria-label="Main" className={`${open ? 'block' : 'hidden'} w-full sm:block sm:w-auto`}>
            <ul className="flex flex-col gap-1 sm:flex-row">
              {links.filter((l) => canWrite || !l.write).map((l) => (
                <li key={l.to}>
                  <NavLink to={l.to} end={l.end} className={linkClass} data-testid={l.testId}>
                    {l.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          {me.mode === 'secure' && (
            <div className="flex items-center gap-2 text-sm" data-testid="user-badge">
              <span className="text-sky-100">
                <span data-testid="user-name">{me.name}</span>{' '}
                <span className="rounded bg-sky-800 px-1.5 py-0.5 text-xs uppercase" data-testid="user-role">
                  {me.role}
                </span>
              </span>
              <button type="button" className="btn border border-sky-700 text-white" onClick={() => void logout()} data-testid="logout-button">
                Log out
              </button>
            </div>
          )}
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">
        <Outlet />
      </main>
    </div>
  )
}
