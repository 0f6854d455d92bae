import { Form } from '@remix-run/react';
import { Button, FormField, Input, Textarea } from '~/components/ui';

/** Three ways to add a source: a file, a URL, pasted text. */
export function AddSourceForms({ busy }: { busy: boolean }) {
  return (
    <div className="grid gap-6 md:grid-cols-3">
      <Form method="post" encType="multipart/form-data" className="flex flex-col gap-3">
        <FormField label="File" hint="PDF, DOCX, TXT, MD, CSV, JSON or an image; up to 20 MB">
          <Input type="file" name="file" required />
        </FormField>
        <Button type="submit" name="intent" value="upload" loading={busy}>
          Upload
        </Button>
      </Form>
      <Form method="post" className="flex flex-col gap-3">
        <FormField label="Web address" hint="A page or a file on the web">
          <Input type="url" name="url" placeholder="https://" required />
        </FormField>
        <Button type="submit" name="intent" value="url" loading={busy}>
          Add URL
        </Button>
      </Form>
      <Form method="post" className="flex flex-col gap-3">
        <FormField label="Title">
          <Input name="title" required maxLength={300} />
        </FormField>
        <FormField label="Text">
          <Textarea name="text" rows={3} required />
        </FormField>
        <Button type="submit" name="intent" value="text" loading={busy}>
          Add text
        </Button>
      </Form>
    </div>
  );
}
