/**
 * Images in chat are stored as references to their attachment and given to the model as bytes: the stored
 * message stays small, the provider receives the image, and a reference to someone else's (or a deleted)
 * attachment reaches the model only as a note. A model not marked as reading images gets none: the message
 * is refused (422 naming the field) before anything is stored or sent.
 */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../db/schema/index';
import { type ChatFixture, type Person, sendBody, startChatFixture, uiChunks } from '../helpers/chat-fixture';
import { PNG_1PX } from '../helpers/documents';

let f: ChatFixture;
/** A model marked `vision` (the fixture's own model is not). */
let visionModelId: string;
beforeAll(async () => {
  f = await startChatFixture();
  const vision = await f.app.services.models.create(f.app.services.systemCtx(), {
    provider: 'openai-compatible',
    modelId: 'fake-vision',
    displayName: 'Fake Vision',
    baseUrl: f.fake.baseURL,
    capabilities: ['vision'],
  });
  visionModelId = vision.id;
});
afterAll(() => f?.close());

async function uploadImage(who: Person): Promise<{ id: string; downloadUrl: string }> {
  const form = new FormData();
  form.set('file', new Blob([PNG_1PX], { type: 'image/png' }), 'diagram.png');
  const res = await f.call(who, '/api/attachments', { method: 'POST', body: form });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; downloadUrl: string };
}

function imageBody(url: string, modelId: string) {
  const body = sendBody('What is in this picture?', { modelId });
  body.messages[0]!.parts.unshift({
    type: 'file',
    mediaType: 'image/png',
    url,
    filename: 'diagram.png',
  } as never);
  return body;
}

async function sendImage(who: Person, url: string) {
  const res = await f.call(who, '/api/chat', { method: 'POST', json: imageBody(url, visionModelId) });
  expect(res.status).toBe(200);
  for await (const _ of uiChunks(res)) {
    // read to the end
  }
  return res.headers.get('x-message-id')!;
}

/** The user content the fake OpenAI-compatible upstream received last. */
const sentContent = () => {
  const body = f.fake.lastRequest().body as { messages: Array<{ role: string; content: unknown }> };
  return body.messages.find((m) => m.role === 'user')!.content as Array<Record<string, unknown>>;
};

describe('images in chat', () => {
  it('stores the reference and sends the model the image itself', async () => {
    f.fake.script({ chunks: ['A small square.'] });
    const image = await uploadImage(f.staff);
    const answerId = await sendImage(f.staff, image.downloadUrl);

    const content = sentContent();
    expect(content).toContainEqual({
      type: 'image_url',
      image_url: { url: `data:image/png;base64,${Buffer.from(PNG_1PX).toString('base64')}` },
    });
    const [answer] = await f.app.database.db.select().from(messages).where(eq(messages.id, answerId));
    const [question] = await f.app.database.db
      .select()
      .from(messages)
      .where(eq(messages.id, answer!.parentId!));
    expect(question!.parts[0]).toMatchObject({ type: 'file', url: image.downloadUrl });
  });

  it("turns a reference to someone else's attachment into a note, never their bytes", async () => {
    f.fake.script({ chunks: ['I see no picture.'] });
    const theirs = await uploadImage(f.admin);
    await sendImage(f.staff, theirs.downloadUrl);
    const content = sentContent();
    expect(JSON.stringify(content)).not.toContain('base64');
    expect(content).toContainEqual({
      type: 'text',
      text: '[The attached file "diagram.png" is no longer available.]',
    });
  });

  it('refuses an image for a model without vision, naming the field, and stores and sends nothing', async () => {
    const image = await uploadImage(f.staff);
    const requestsBefore = f.fake.requests.length;
    const [before] = await f.app.database.db.select({ n: count() }).from(messages);
    const res = await f.call(f.staff, '/api/chat', {
      method: 'POST',
      json: imageBody(image.downloadUrl, f.modelId),
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as {
      error: { code: string; details: { fields: Record<string, string> } };
    };
    expect(body.error.code).toBe('validation:chat');
    expect(body.error.details.fields['messages.0.parts']).toMatch(/Fake Large does not read images/);
    const [after] = await f.app.database.db.select({ n: count() }).from(messages);
    expect(after!.n).toBe(before!.n);
    expect(f.fake.requests.length).toBe(requestsBefore);
  });

  it('refuses to continue a conversation with images on a model without vision (modelId named)', async () => {
    f.fake.script({ chunks: ['A small square.'] });
    const image = await uploadImage(f.staff);
    const answerId = await sendImage(f.staff, image.downloadUrl);
    const [answer] = await f.app.database.db.select().from(messages).where(eq(messages.id, answerId));
    const followUp = sendBody('And its colour?', { modelId: f.modelId });
    const res = await f.call(f.staff, '/api/chat', {
      method: 'POST',
      json: {
        ...followUp,
        conversationId: answer!.conversationId,
        messages: [{ ...followUp.messages[0]!, id: crypto.randomUUID() }],
      },
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { details: { fields: Record<string, string> } } };
    expect(Object.keys(body.error.details.fields)).toEqual(['modelId']);
  });
});
