import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { HttpReply, HttpRequest } from './service';

/** A listening HTTP server. */
export interface RunningServer {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  /** Stops listening and drops kept-alive connections (the SDK keeps them open); safe to call twice. */
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 on a random port and answers every request with `handle`. */
export async function startHttpServer(handle: (request: HttpRequest) => HttpReply): Promise<RunningServer> {
  const server = createServer((incoming, outgoing) => {
    readRequest(incoming)
      .then((request) => writeReply(outgoing, handle(request)))
      .catch((error: unknown) => {
        outgoing.statusCode = 500;
        outgoing.end(String(error));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return { endpoint: `http://127.0.0.1:${port}`, close: () => (closing ??= closeServer(server)) };
}

async function readRequest(incoming: IncomingMessage): Promise<HttpRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
  return {
    method: incoming.method ?? 'GET',
    rawPath: url.pathname,
    query: Object.fromEntries(url.searchParams.entries()),
    headers: incoming.headers,
    rawBody: Buffer.concat(chunks).toString('utf8'),
  };
}

function writeReply(outgoing: ServerResponse, reply: HttpReply): void {
  const body = Buffer.from(reply.body, 'utf8');
  outgoing.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(body.length) });
  outgoing.end(body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
