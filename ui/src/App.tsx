import { BrowserRouter, Route, Routes } from 'react-router'
import { Layout } from './components/Layout'
import { CampaignsPage } from './pages/CampaignsPage'
import { NewCampaignPage } from './pages/NewCampaignPage'
import { CampaignPage } from './pages/CampaignPage'
import { RecipientsPage } from './pages/RecipientsPage'
import { SuppressionsPage } from './pages/SuppressionsPage'
import { OperationsPage } from './pages/OperationsPage'
import { NotFoundPage } from './pages/NotFoundPage'
import { AuthProvider } from './auth'

// Served by Spring Boot under /ui/; deep links need the server to fall back to index.html.
export function App() {
  return (
    <BrowserRouter basename="/ui">
      <AuthProvider>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<CampaignsPage />} />
          <Route path="campaigns" element={<CampaignsPage />} />
          <Route path="campaigns/new" element={<NewCampaignPage />} />
          <Route path="campaigns/:id" element={<CampaignPage />} />
          <Route path="recipients" element={<RecipientsPage />} />
          <Route path="suppressions" element={<SuppressionsPage />} />
          <Route path="ops" element={<OperationsPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
      </AuthProvider>
    </BrowserRouter>
  )
}
