import { useNavigate } from 'react-router'
import { useAuth } from '../auth'
import { CampaignForm } from '../components/CampaignForm'

export function NewCampaignPage() {
  const navigate = useNavigate()
  const { me, canWrite } = useAuth()
  return (
    <section className="mx-auto max-w-6xl space-y-4">
      <h1 id="new-campaign-heading" className="text-2xl font-semibold">
        New campaign
      </h1>
      {canWrite ? (
        /* Form and live preview side by side on wide screens. After creating, the campaign page opens with its preview. */
        <CampaignForm onCreated={(c) => navigate(`/campaigns/${c.id}`, { state: { created: true } })} />
      ) : (
        <p className="card text-sm text-slate-600" data-testid="read-only-notice">
          Your role ({me.role}) can read campaigns but not create them.
        </p>
      )}
    </section>
  )
}
