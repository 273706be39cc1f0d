/**
 * Remote write 1.0's messages (prometheus/prompb types.proto and remote.proto) for protobuf-ts's
 * reflection runtime, installed with @actions/artifact: an independent codec to read what our
 * hand-written encoder writes.
 */
import { LongType, MessageType, RepeatType, ScalarType } from '@protobuf-ts/runtime';

export interface Label {
  name: string;
  value: string;
}
export interface Sample {
  value: number;
  timestamp: number;
}
export interface TimeSeries {
  labels: Label[];
  samples: Sample[];
}
export interface WriteRequest {
  timeseries: TimeSeries[];
}

const LabelT = new MessageType<Label>('prometheus.Label', [
  { no: 1, name: 'name', kind: 'scalar', T: ScalarType.STRING },
  { no: 2, name: 'value', kind: 'scalar', T: ScalarType.STRING },
]);
const SampleT = new MessageType<Sample>('prometheus.Sample', [
  { no: 1, name: 'value', kind: 'scalar', T: ScalarType.DOUBLE },
  { no: 2, name: 'timestamp', kind: 'scalar', T: ScalarType.INT64, L: LongType.NUMBER },
]);
const TimeSeriesT = new MessageType<TimeSeries>('prometheus.TimeSeries', [
  { no: 1, name: 'labels', kind: 'message', repeat: RepeatType.UNPACKED, T: () => LabelT },
  { no: 2, name: 'samples', kind: 'message', repeat: RepeatType.UNPACKED, T: () => SampleT },
]);
export const WriteRequestT = new MessageType<WriteRequest>('prometheus.WriteRequest', [
  { no: 1, name: 'timeseries', kind: 'message', repeat: RepeatType.UNPACKED, T: () => TimeSeriesT },
]);
