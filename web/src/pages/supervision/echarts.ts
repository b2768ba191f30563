import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { init, use, type ComposeOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

/**
 * The parts of ECharts the dashboard draws with, and only those (bars, lines, grid, legend, tooltip, SVG): imported
 * by the dashboard's own chunk, so no other page loads ECharts.
 */
use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

export { init as initChart };

/** Series colours: the theme's danger red, an amber that reads on white, the primary blue, a green. */
export const CHART_COLOURS = { red: '#b3232a', yellow: '#d4920a', blue: '#0b5cad', green: '#1c6e31', grey: '#505a66' } as const;

/** Axis and legend text dark enough for WCAG AA on white. */
export const CHART_TEXT = { color: '#2b3440' } as const;
