// Drives a running Airlock with the official openai npm client, unchanged but for its base URL.
// Env: AIRLOCK_BASE_URL (e.g. http://127.0.0.1:8080/v1), AIRLOCK_KEY, CHAT_MODEL, EMBEDDING_MODEL, and RESPONSES_MODEL
// (a chat model whose retention keeps content, so that its responses are stored).
// Prints one JSON object with what each call saw; exits non-zero on the first unexpected result.
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: process.env.AIRLOCK_BASE_URL, apiKey: process.env.AIRLOCK_KEY, maxRetries: 0 });
const chatModel = process.env.CHAT_MODEL;
const embeddingModel = process.env.EMBEDDING_MODEL;
const seen = {};

function expect(condition, what) {
  if (!condition) {
    console.log(JSON.stringify(seen));
    console.error(`unexpected: ${what}`);
    process.exit(1);
  }
}

const completion = await client.chat.completions.create({
  model: chatModel,
  messages: [{ role: 'user', content: 'Is this loan application complete?' }],
});
seen.chat = { content: completion.choices[0].message.content, usage: completion.usage, requestId: completion._request_id };
expect(completion.choices[0].message.content.length > 0, 'chat answer is empty');

const stream = await client.chat.completions.create({
  model: chatModel,
  messages: [{ role: 'user', content: 'Stream the answer please' }],
  stream: true,
  stream_options: { include_usage: true },
});
let streamed = '';
let streamUsage = null;
let chunks = 0;
for await (const chunk of stream) {
  chunks++;
  streamed += chunk.choices[0]?.delta?.content ?? '';
  if (chunk.usage) streamUsage = chunk.usage;
}
seen.stream = { content: streamed, chunks, usage: streamUsage };
expect(streamUsage && streamUsage.completion_tokens > 0, 'stream carried no usage');

const embeddings = await client.embeddings.create({
  model: embeddingModel,
  input: ['How do I reset my password?', 'The weather is sunny'],
});
seen.embeddings = { count: embeddings.data.length, dimensions: embeddings.data[0].embedding.length };
expect(embeddings.data.length === 2, 'expected two embeddings');

try {
  await client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] });
  expect(false, 'unknown model did not fail');
} catch (e) {
  expect(e instanceof OpenAI.NotFoundError, `expected NotFoundError, got ${e?.constructor?.name}: ${e?.message}`);
  seen.notFound = { status: e.status, code: e.code, type: e.type, param: e.param, requestId: e.requestID };
}

try {
  const badKey = new OpenAI({ baseURL: process.env.AIRLOCK_BASE_URL, apiKey: 'ak_nobody_wrong', maxRetries: 0 });
  await badKey.models.list();
  expect(false, 'a wrong key was accepted');
} catch (e) {
  expect(e instanceof OpenAI.AuthenticationError, `expected AuthenticationError, got ${e?.constructor?.name}`);
  seen.unauthorized = { status: e.status, code: e.code, requestId: e.requestID };
}

const responsesModel = process.env.RESPONSES_MODEL;
if (responsesModel) {
  const first = await client.responses.create({ model: responsesModel, instructions: 'Be brief.', input: 'My name is Ada.' });
  const second = await client.responses.create({
    model: responsesModel,
    previous_response_id: first.id,
    input: [{ role: 'user', content: 'What is my name?' }],
  });
  let streamedText = '';
  let completed = null;
  const events = [];
  const responseStream = await client.responses.create({ model: responsesModel, input: 'Stream it', stream: true });
  for await (const event of responseStream) {
    events.push(event.type);
    if (event.type === 'response.output_text.delta') streamedText += event.delta;
    if (event.type === 'response.completed') completed = event.response;
  }
  const retrieved = await client.responses.retrieve(first.id);
  await client.responses.delete(first.id);
  let afterDelete = null;
  try {
    await client.responses.retrieve(first.id);
  } catch (e) {
    afterDelete = { status: e.status, code: e.code };
  }
  seen.responses = {
    text: first.output_text,
    continued: { previous: second.previous_response_id, text: second.output_text },
    stream: { text: streamedText, first: events[0], last: events[events.length - 1], id: completed?.id },
    retrieved: retrieved.id === first.id,
    afterDelete,
  };
  expect(first.output_text.length > 0, 'the response has no output_text');

  const completion = await client.completions.create({ model: chatModel, prompt: 'Say hello', max_tokens: 16 });
  seen.completions = { text: completion.choices[0].text, object: completion.object };
}

const models = await client.models.list();
seen.models = models.data.map((m) => m.id);

console.log(JSON.stringify(seen));
