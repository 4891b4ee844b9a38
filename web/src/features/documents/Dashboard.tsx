import { useEffect, useRef } from 'react';
import { Alert, Card, Col, Row, Space, Statistic, Typography } from 'antd';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { get } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { describe } from '../../shared/errors';
import { formatDate } from '../../shared/format';
import { useQuery } from '../../app/useQuery';
import SignatureShare from '../signatures/SignatureShare';
import type { Workload } from './types';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

// A leader's units at a glance: open work per unit, split into overdue, due
// soon and on time (the server counts; nothing is listed here).
export default function Dashboard() {
  const { t } = useI18n();
  const { data, error } = useQuery('deadlines/summary', (signal) => get<Workload>('/deadlines/summary', undefined, signal));
  const chartEl = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!data || !chartEl.current) return;
    const chart = echarts.init(chartEl.current);
    const names = data.units.map((u) => u.name);
    chart.setOption({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: names, inverse: true },
      series: [
        { name: t('dash.overdue'), type: 'bar', stack: 'w', color: '#cf1322', data: data.units.map((u) => u.overdue) },
        { name: t('dash.dueSoon'), type: 'bar', stack: 'w', color: '#fa8c16', data: data.units.map((u) => u.due_soon) },
        { name: t('dash.onTime'), type: 'bar', stack: 'w', color: '#389e0d', data: data.units.map((u) => u.open - u.overdue - u.due_soon) },
      ],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [data, t]);

  if (error) return <Alert type="error" showIcon title={describe(error, t)} />;
  const sum = (k: 'open' | 'overdue' | 'due_soon') => data?.units.reduce((a, u) => a + u[k], 0) ?? 0;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <SignatureShare />
      <Card size="small" title={t('dash.title')} extra={data && <Typography.Text type="secondary">{t('dash.asOf', { date: formatDate(data.today) })}</Typography.Text>}>
        <Row gutter={16} style={{ marginBottom: 16 }}>
          <Col span={8}><Statistic title={t('dash.open')} value={sum('open')} /></Col>
          <Col span={8}><Statistic title={t('dash.overdue')} value={sum('overdue')} valueStyle={{ color: '#cf1322' }} /></Col>
          <Col span={8}><Statistic title={t('dash.dueSoon')} value={sum('due_soon')} valueStyle={{ color: '#ad4e00' }} /></Col>
        </Row>
        <div ref={chartEl} role="img" aria-label={t('dash.title')}
          style={{ width: '100%', height: Math.max(240, (data?.units.length ?? 4) * 48) }} />
      </Card>
    </Space>
  );
}
