// The shows Flicks recommends: a small fixed catalogue. Each url is where a real video service
// would link to.
import type { Card } from '@parley/sdk';

export interface Show {
  id: string;
  title: string;
  /** Genre and season, as the share card's subtitle. */
  subtitle: string;
  blurb: string;
  url: string;
  /** The hue of the poster (a CSS gradient, no images). */
  hue: number;
}

export const SHOWS: readonly Show[] = [
  {
    id: 'the-long-way-home',
    title: 'The Long Way Home',
    subtitle: 'Drama · Season 1',
    blurb: 'Two estranged sisters drive an old van across the country to scatter their father’s ashes.',
    hue: 20,
  },
  {
    id: 'lighthouse-keepers',
    title: 'Lighthouse Keepers',
    subtitle: 'Documentary · 6 episodes',
    blurb: 'The last people who tend the lights on the northern coast, through one long winter.',
    hue: 200,
  },
  {
    id: 'midnight-bakery',
    title: 'Midnight Bakery',
    subtitle: 'Comedy · Season 2',
    blurb: 'A bakery that only opens after midnight, and the night owls who keep it going.',
    hue: 40,
  },
  {
    id: 'orbit-of-small-things',
    title: 'Orbit of Small Things',
    subtitle: 'Science fiction · Season 1',
    blurb: 'A repair crew on a space station finds that the smallest faults hide the biggest secrets.',
    hue: 260,
  },
  {
    id: 'the-quiet-detective',
    title: 'The Quiet Detective',
    subtitle: 'Mystery · Season 3',
    blurb: 'A detective who barely speaks solves the cases everyone else talked themselves out of.',
    hue: 160,
  },
  {
    id: 'salt-and-stone',
    title: 'Salt & Stone',
    subtitle: 'Cooking · Season 1',
    blurb: 'A chef travels the coast cooking with whatever the sea and the hills give her that day.',
    hue: 340,
  },
].map((show) => ({ ...show, url: `https://example.com/shows/${show.id}` }));

export function showById(id: string): Show | undefined {
  return SHOWS.find((show) => show.id === id);
}

/** The share card Parley shows for a show. */
export function showCard(show: Show): Card {
  return { kind: 'show', title: show.title, subtitle: show.subtitle, url: show.url };
}
