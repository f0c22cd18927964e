import type { Page } from "playwright-core";

/** What a Chart.js chart on the page draws: its labels and first dataset. */
export interface ChartData {
  readonly labels: string[];
  readonly values: number[] | undefined;
}

/** The chart drawn on canvas `id` (read through Chart.js's own registry), or undefined. */
export function chartData(page: Page, id: string): Promise<ChartData | undefined> {
  return page.evaluate((canvasId) => {
    const chart = (
      window as unknown as {
        Chart: {
          getChart(
            id: string,
          ): { data: { labels: string[]; datasets: { data: number[] }[] } } | undefined;
        };
      }
    ).Chart.getChart(canvasId);
    return chart ? { labels: chart.data.labels, values: chart.data.datasets[0]?.data } : undefined;
  }, id);
}
