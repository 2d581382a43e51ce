// Generated from docs/openapi.json by `npm run sdk:types` (openapi-typescript). Do not edit:
// change the server's route schemas, run `npm run openapi`, then `npm run sdk:types`.
// Only the partner API (/v1) is kept: the first-party API is not for partners.

export interface paths {
  '/v1/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The person the token acts for (openid: id; profile: username and display name) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description A UUIDv7 id */
              id: string;
              username?: string;
              displayName?: string;
            };
          };
        };
        /** @description RFC 9457 problem details */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me/permissions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Exactly what this token can do, in plain language, with the chosen conversations and expiry */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              clientId: string;
              /** @description A UUIDv7 id */
              userId: string;
              grantId: string;
              scopes: {
                scope: string;
                title: string;
                can: string[];
                cannot: string[];
              }[];
              threads: {
                /** @description A UUIDv7 id */
                id: string;
                label: string;
                participants: {
                  /** @description A UUIDv7 id */
                  id: string;
                  username: string;
                  displayName: string;
                }[];
              }[];
              /** @description ISO 8601 time (UTC) */
              expiresAt: string;
            };
          };
        };
        /** @description RFC 9457 problem details */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me/friends': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** friends.read: the person’s friends who have also connected this app */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                /** @description A UUIDv7 id */
                id: string;
                username: string;
                displayName: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/messages': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send as the person, shown "via" the app
     * @description `to` a friend (messages.send: into the conversation started through this app with them) or a conversation id (threads.connect: a conversation the person selected; messages.send: one started through this app).
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description A friend’s user id (messages.send) or a conversation id */
            to: string;
            text?: string;
            card?: {
              kind: 'song' | 'show' | 'link';
              title: string;
              url: string;
              subtitle?: string;
              imageUrl?: string;
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description A UUIDv7 id */
              id: string;
              /** @description A UUIDv7 id */
              threadId: string;
              author: {
                /** @description A UUIDv7 id */
                id: string;
                username: string;
                displayName: string;
              };
              text: string | null;
              card: {
                kind: 'song' | 'show' | 'link';
                title: string;
                url: string;
                subtitle?: string;
                imageUrl?: string;
              } | null;
              via: {
                clientId: string;
                name: string;
              } | null;
              /** @description ISO 8601 time (UTC) */
              createdAt: string;
            };
          };
        };
        /** @description RFC 9457 problem details */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/messages/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Delete a message this app sent */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description A UUIDv7 id */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description RFC 9457 problem details */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/threads': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Conversations this app may read for the person */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                /** @description A UUIDv7 id */
                id: string;
                kind: 'direct' | 'group';
                title: string | null;
                participants: {
                  /** @description A UUIDv7 id */
                  id: string;
                  username: string;
                  displayName: string;
                }[];
                lastMessage: {
                  /** @description A UUIDv7 id */
                  id: string;
                  /** @description A UUIDv7 id */
                  threadId: string;
                  author: {
                    /** @description A UUIDv7 id */
                    id: string;
                    username: string;
                    displayName: string;
                  };
                  text: string | null;
                  card: {
                    kind: 'song' | 'show' | 'link';
                    title: string;
                    url: string;
                    subtitle?: string;
                    imageUrl?: string;
                  } | null;
                  via: {
                    clientId: string;
                    name: string;
                  } | null;
                  /** @description ISO 8601 time (UTC) */
                  createdAt: string;
                } | null;
                unreadCount: number;
                /** @description ISO 8601 time (UTC) */
                createdAt: string;
                /** @description ISO 8601 time (UTC) */
                updatedAt: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/threads/{id}/messages': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Messages of a conversation this app may read, newest first */
    get: {
      parameters: {
        query: {
          /** @description A UUIDv7 id */
          before?: string;
          limit: number;
        };
        header?: never;
        path: {
          /** @description A UUIDv7 id */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                /** @description A UUIDv7 id */
                id: string;
                /** @description A UUIDv7 id */
                threadId: string;
                author: {
                  /** @description A UUIDv7 id */
                  id: string;
                  username: string;
                  displayName: string;
                };
                text: string | null;
                card: {
                  kind: 'song' | 'show' | 'link';
                  title: string;
                  url: string;
                  subtitle?: string;
                  imageUrl?: string;
                } | null;
                via: {
                  clientId: string;
                  name: string;
                } | null;
                /** @description ISO 8601 time (UTC) */
                createdAt: string;
              }[];
              nextCursor?: string;
            };
          };
        };
        /** @description RFC 9457 problem details */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Live events (Server-Sent Events): new and deleted messages in conversations this app may read
     * @description text/event-stream. Events: `hello` once, then `message.created` ({message}) and `message.deleted` ({threadId, messageId}). A comment line every 25 s keeps the stream open; the stream ends when the grant is revoked or expires.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/transparency/checkpoint': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The latest signed tree head (C2SP tlog-checkpoint signed note, Ed25519) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The signed note */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/plain': string;
          };
        };
        /** @description RFC 9457 problem details */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/transparency/key': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The note verifier key (name+keyhash+base64key) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The verifier key */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/plain': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/transparency/proof/inclusion': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Inclusion proof of entry `index` in the tree of size `size` (RFC 9162 §2.1.3) */
    get: {
      parameters: {
        query: {
          index: number;
          size: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              index: number;
              treeSize: number;
              hashes: string[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/transparency/proof/consistency': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Consistency proof between tree sizes `from` and `to` (RFC 9162 §2.1.4) */
    get: {
      parameters: {
        query: {
          from: number;
          to: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              from: number;
              to: number;
              hashes: string[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/transparency/entries/{index}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One of this app's own entries about the token's person, with its leaf bytes, to verify an Access-Receipt */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          index: number;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              index: number;
              /** @description base64 of the exact leaf bytes (RFC 8785 canonical JSON) */
              leaf: string;
              entry: {
                v: number;
                time: string;
                app: string;
                grant: string;
                actor: string;
                action: string;
                threads: string[];
                messages: string[];
                subjects: string[];
                salt: string;
              };
            };
          };
        };
        /** @description RFC 9457 problem details */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
        /** @description RFC 9457 problem details */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              type: string;
              code: string;
              title: string;
              status: number;
              detail?: string;
              errors?: {
                path: string;
                message: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: never;
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
