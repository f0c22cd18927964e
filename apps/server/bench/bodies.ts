// The request bodies the HTTP bench sends, shared by the load (http.ts) and the servers
// (servers.ts), whose bare handler answers the estimate's own document for the same body.
export const ESTIMATE_REQUEST = {
  hardware: [{ name: "NVIDIA A100 SXM4 40GB", count: 8 }],
  duration: "12h",
  location: "ES",
};
