// The first requests of a page load (app/early.ts says why). Built as the app's "polyfills" entry, the one
// bundle Angular's build loads before main and on its own: its module runs as soon as it is fetched, while
// the app's much bigger chunks are still on their way, where code in main would wait for all of them and
// for their evaluation. It must stay small: only early.ts and the plain functions it uses.
import { preloadDashboardModules, sendEarlyRequests } from './app/early';

sendEarlyRequests(location);
preloadDashboardModules(location, document);
