import { Form } from '@remix-run/react';
import { Button, FormField, Input, Select } from '~/components/ui';
import type { RepositoryView } from '../../../api/features/knowledge/knowledge.schemas';

/** Who may read the repository: only the owner, named roles, or everyone with knowledge access. */
export function AccessForm({ repository }: { repository: RepositoryView }) {
  return (
    <Form method="post" className="flex max-w-xl flex-col gap-4">
      <FormField label="Who can read it">
        <Select
          name="visibility"
          defaultValue={repository.visibility === 'users' ? 'private' : repository.visibility}
        >
          <option value="private">Only me</option>
          <option value="roles">These roles</option>
          <option value="everyone">Everyone who uses knowledge</option>
        </Select>
      </FormField>
      <FormField label="Roles" hint="Comma-separated role names, used when “These roles” is chosen">
        <Input name="roles" defaultValue={repository.access.roles.join(', ')} />
      </FormField>
      <div>
        <Button type="submit" name="intent" value="access" variant="secondary">
          Save access
        </Button>
      </div>
    </Form>
  );
}
