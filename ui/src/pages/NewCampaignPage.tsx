import { useNavigate } from 'react-router'
import { CampaignForm } from '../components/CampaignForm'

export function NewCampaignPage() {
  const navigate = useNavigate()
  return (
    <section className="mx-auto max-w-3xl space-y-4">
      <h1 id="new-campaign-heading" className="text-2xl font-semibold">
        New campaign
      </h1>
      {/* After creating, the campaign page opens with its preview (first 10 rendered messages). */}
      <CampaignForm onCreated={(c) => navigate(`/campaigns/${c.id}`, { state: { created: true } })} />
    </section>
  )
}
