// A minimal debugger client, run as its own process by invoke-debug.test.ts: it attaches to a Node
// inspector the way VS Code does (worker threads included), sets a breakpoint by URL in every worker,
// and prints what the first hit looks like as JSON. It speaks the Chrome DevTools Protocol over WebSocket.
// Usage: node debugger-client.mjs <ws-url> <url-regex> <line (0-based)> <column>
const [url, urlRegex, line, column] = process.argv.slice(2);
const socket = new WebSocket(url);
let nextId = 1;
const send = (method, params = {}) => socket.send(JSON.stringify({ id: nextId++, method, params }));
const toWorker = (sessionId, method, params = {}) =>
  send('NodeWorker.sendMessageToWorker', {
    sessionId,
    message: JSON.stringify({ id: nextId++, method, params }),
  });
const report = { sourceMapURL: null, hitBreakpoints: [], location: null, workers: 0 };

socket.addEventListener('message', (event) => {
  const { method, params } = JSON.parse(String(event.data));
  if (method === 'Debugger.paused') send('Debugger.resume'); // --inspect-brk's break on the first line
  // The debuggee has finished and waits for the debugger to let go (as VS Code does): report and detach.
  if (method === 'NodeRuntime.waitingForDisconnect') {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    socket.close();
  }
  if (method === 'NodeWorker.attachedToWorker') {
    report.workers += 1;
    toWorker(params.sessionId, 'Debugger.enable');
    toWorker(params.sessionId, 'Debugger.setBreakpointByUrl', {
      urlRegex,
      lineNumber: Number(line),
      columnNumber: Number(column),
    });
    toWorker(params.sessionId, 'Runtime.runIfWaitingForDebugger');
  }
  if (method === 'NodeWorker.receivedMessageFromWorker') {
    const message = JSON.parse(params.message);
    if (message.method === 'Debugger.scriptParsed' && new RegExp(urlRegex).test(message.params.url)) {
      report.sourceMapURL = message.params.sourceMapURL;
    }
    if (message.method === 'Debugger.paused') {
      // A worker breaks on start first (waitForDebuggerOnStart); report the breakpoint hit, then go on.
      if (message.params.hitBreakpoints?.length > 0 && report.location === null) {
        report.hitBreakpoints = message.params.hitBreakpoints;
        report.location = message.params.callFrames[0].location;
      }
      toWorker(params.sessionId, 'Debugger.resume');
    }
  }
});
socket.addEventListener('open', () => {
  send('NodeRuntime.notifyWhenWaitingForDisconnect', { enabled: true });
  send('NodeWorker.enable', { waitForDebuggerOnStart: true });
  send('Debugger.enable');
  send('Runtime.runIfWaitingForDebugger');
});
socket.addEventListener('error', () => {
  process.stderr.write(`debugger-client: cannot talk to ${url}\n`);
  process.exitCode = 1;
});
