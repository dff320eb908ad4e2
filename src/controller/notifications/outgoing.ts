// The HTTP request a delivery makes: built by the pure builders, sent by the dispatcher.

export interface OutgoingRequest {
  url: string;
  method: "POST";
  headers: Record<string, string>;
  body: string;
}

export const USER_AGENT = "bosun-notifications";
