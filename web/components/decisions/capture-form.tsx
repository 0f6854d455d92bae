/**
 * The capture form: what was decided, by whom and why, then evidence, alternatives, constraints,
 * conditions and people added inline. Posts to the page's action, which calls the same capture service as
 * the API and MCP; field errors come back next to their fields.
 */
import { Form, useNavigation } from '@remix-run/react';
import { Alert, Button, FormField, Input, Select, Textarea } from '~/components/ui';
import { RepeatableField } from './repeatable-field';

export interface CaptureFormProps {
  error?: string;
  fieldErrors?: Record<string, string>;
  /** Decisions this one may supersede (recent accepted ones), and those preselected. */
  supersedable: { id: string; title: string }[];
  supersedes: string[];
}

export function CaptureForm({ error, fieldErrors = {}, supersedable, supersedes }: CaptureFormProps) {
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  return (
    <Form method="post" className="flex flex-col gap-6" aria-label="Record a decision">
      {error ? (
        <Alert variant="danger" title="The decision was not saved">
          {error}
        </Alert>
      ) : null}
      <FormField
        label="Decision"
        required
        error={fieldErrors.decision}
        hint="One sentence: what was decided."
      >
        <Input name="decision" maxLength={500} placeholder="Move the high-school start time to 8:45" />
      </FormField>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField
          label="Decided by"
          required
          error={fieldErrors.decidedBy}
          hint="A person or a body, e.g. School Board."
        >
          <Input name="decidedBy" maxLength={200} />
        </FormField>
        <FormField label="Class" error={fieldErrors.class} hint="Optional label, e.g. budget, curriculum.">
          <Input name="class" maxLength={100} />
        </FormField>
      </div>
      <FormField label="Reasoning" error={fieldErrors.reasoning} hint="Why this option: what weighed most.">
        <Textarea name="reasoning" rows={5} maxLength={20000} />
      </FormField>
      <div className="grid gap-6 md:grid-cols-2">
        <RepeatableField
          name="evidence"
          label="Evidence"
          addLabel="Add evidence"
          error={fieldErrors.evidence}
          placeholder="Survey: 71% of families prefer a later start"
        />
        <RepeatableField
          name="alternatives_considered"
          label="Alternatives considered"
          addLabel="Add alternative"
          error={fieldErrors.alternatives_considered}
          placeholder="Keep the current schedule"
        />
        <RepeatableField
          name="constraints"
          label="Constraints"
          addLabel="Add constraint"
          error={fieldErrors.constraints}
          placeholder="Bus contract fixed until June"
        />
        <RepeatableField
          name="conditions"
          label="Conditions"
          addLabel="Add condition"
          error={fieldErrors.conditions}
          placeholder="Review after one year"
        />
        <RepeatableField
          name="consulted"
          label="Consulted"
          addLabel="Add person consulted"
          error={fieldErrors.consulted}
          hint="Name, e-mail, or Name <e-mail>; people already in the log are reused."
        />
        <RepeatableField
          name="notified"
          label="Notified"
          addLabel="Add person notified"
          error={fieldErrors.notified}
        />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField label="Status" error={fieldErrors.status}>
          <Select name="status" defaultValue="accepted">
            <option value="accepted">Accepted</option>
            <option value="proposed">Proposed</option>
            <option value="rejected">Rejected</option>
          </Select>
        </FormField>
        <FormField
          label="Supersedes"
          error={fieldErrors.supersedes}
          hint="Earlier decisions this one replaces (they are marked superseded)."
        >
          <Select
            name="supersedes"
            multiple
            defaultValue={supersedes}
            size={Math.min(5, Math.max(2, supersedable.length))}
          >
            {supersedable.map((d) => (
              <option key={d.id} value={d.id}>
                {d.title}
              </option>
            ))}
          </Select>
        </FormField>
      </div>
      <div>
        <Button type="submit" loading={busy}>
          Save decision
        </Button>
      </div>
    </Form>
  );
}
