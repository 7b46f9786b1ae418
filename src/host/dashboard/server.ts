/**
 * The dashboard server: HTTP on 127.0.0.1 only, read-only (GET and HEAD;
 * anything else is 405), serving the page, uPlot from node_modules, and
 * /api/state, which the page polls. It runs in the thread that holds the
 * machine, between commands, so every answer is a consistent snapshot.
 *
 * @example
 * const d = await startDashboard(world, { port: 0 });
 * console.log(d.url);      // http://127.0.0.1:40123/
 * d.sample();              // after a command: record the counters
 * await d.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { World } from "../world.js";
import { History } from "./history.js";
import { DASHBOARD_CLIENT, dashboardHtml } from "./page.js";
import { dashboardState } from "./state.js";
import { uplotAssets } from "./uplot_assets.js";

export const DASHBOARD_HOST = "127.0.0.1";

export interface Dashboard {
  /** http://127.0.0.1:PORT/ */
  url: string;
  port: number;
  /** Records a sample of the counters now (call after each command). */
  sample(): void;
  close(): Promise<void>;
}

export interface DashboardOptions {
  /** 0 (default): an ephemeral port. */
  port?: number;
}

function send(res: ServerResponse, status: number, type: string, body: string, head: boolean, extra: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body), "cache-control": "no-store", "x-content-type-options": "nosniff", ...extra });
  res.end(head ? undefined : body);
}

/** Starts the dashboard of a machine (or of whichever machine `world()` returns at each request). */
export async function startDashboard(world: World | (() => World), opts: DashboardOptions = {}): Promise<Dashboard> {
  const current = typeof world === "function" ? world : () => world;
  let w = current();
  let epochN = 0;
  let epoch = "0";
  let history = new History(() => w.stack.machine.vfs, () => w.stack.machine.ctx.clock.now);
  const sync = (): World => {
    const now = current();
    if (now !== w) {
      w = now;
      epochN += 1;
      epoch = String(epochN);
      history = new History(() => w.stack.machine.vfs, () => w.stack.machine.ctx.clock.now);
    }
    return w;
  };
  history.sample();

  const page = dashboardHtml();
  let port = 0;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const head = req.method === "HEAD";
    if (req.method !== "GET" && !head) {
      send(res, 405, "text/plain; charset=utf-8", "the dashboard is read-only\n", false, { allow: "GET, HEAD" });
      return;
    }
    // only pages addressed to this server (no DNS rebinding onto the loopback port)
    const host = req.headers.host ?? "";
    if (host !== `${DASHBOARD_HOST}:${port}` && host !== `localhost:${port}`) {
      send(res, 421, "text/plain; charset=utf-8", "misdirected request\n", head);
      return;
    }
    const url = new URL(req.url ?? "/", `http://${host}`);
    switch (url.pathname) {
      case "/":
        return send(res, 200, "text/html; charset=utf-8", page, head);
      case "/dashboard.js":
        return send(res, 200, "text/javascript; charset=utf-8", DASHBOARD_CLIENT, head);
      case "/uPlot.iife.min.js":
        return send(res, 200, "text/javascript; charset=utf-8", uplotAssets().js, head);
      case "/uPlot.min.css":
        return send(res, 200, "text/css; charset=utf-8", uplotAssets().css, head);
      case "/api/state": {
        const int = (k: string): number => {
          const v = Number(url.searchParams.get(k) ?? "-1");
          return Number.isInteger(v) ? v : -1;
        };
        const cur = sync();
        // a page from before a reboot gets everything of the new machine
        const fresh = url.searchParams.get("epoch") !== epoch;
        const body = JSON.stringify(dashboardState(cur, epoch, history, fresh ? -1 : int("since"), fresh ? -1 : int("log")));
        return send(res, 200, "application/json", body, head);
      }
      default:
        return send(res, 404, "text/plain; charset=utf-8", "not found\n", head);
    }
  };
  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (e) {
      if (!res.headersSent) send(res, 500, "text/plain; charset=utf-8", `dashboard: ${e instanceof Error ? e.message : String(e)}\n`, false);
      else res.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, DASHBOARD_HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${DASHBOARD_HOST}:${port}/`,
    port,
    sample: () => {
      sync();
      history.sample();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
