// Telemetry and health over HTTP: /healthz (process is up), /readyz (joined and stable),
// /stats (state and cost meters as JSON), /metrics (the same meters for Prometheus).
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { processMetrics } from '../meters/prometheus.js'
import { peerStats, statsJson, type TelemetryParts } from '../meters/telemetry.js'

export class TelemetryServer {
  readonly #hostPort: string
  readonly #parts: TelemetryParts
  #server: Server | undefined
  #address = ''

  /** Serves on `hostPort` what it reads from `parts` when asked. */
  constructor (hostPort: string, parts: TelemetryParts) {
    this.#hostPort = hostPort
    this.#parts = parts
  }

  /** host:port actually bound (a port of 0 is replaced by the one chosen). */
  get address (): string { return this.#address }

  async start (): Promise<void> {
    if (this.#server != null) return
    const i = this.#hostPort.lastIndexOf(':')
    const host = this.#hostPort.slice(0, i)
    const port = Number(this.#hostPort.slice(i + 1))
    const server = createServer((req, res) => {
      const send = (code: number, text: string, contentType = 'text/plain'): void => {
        res.writeHead(code, { 'content-type': contentType })
        res.end(text)
      }
      if (req.method !== 'GET') return send(405, 'method not allowed\n')
      const path = (req.url ?? '/').split('?')[0]
      if (path === '/healthz') return send(200, 'ok\n')
      if (path === '/readyz') return this.#parts.ready() ? send(200, 'ready\n') : send(503, 'not ready\n')
      if (path === '/stats') return send(200, statsJson(peerStats(this.#parts)), 'application/json')
      if (path === '/metrics') {
        processMetrics().scrape(this.#parts).then(text => {
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
          res.end(text)
        }, err => { send(500, `metrics failed: ${(err as Error).message}\n`) })
        return
      }
      send(404, 'not found\n')
    })
    server.headersTimeout = 5_000
    server.requestTimeout = 10_000
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => { server.off('error', reject); resolve() })
    })
    const addr = server.address() as AddressInfo
    this.#address = `${host}:${addr.port}`
    this.#server = server
  }

  async stop (): Promise<void> {
    const server = this.#server
    this.#server = undefined
    if (server == null) return
    server.closeAllConnections()
    await new Promise<void>(resolve => server.close(() => resolve()))
  }
}
