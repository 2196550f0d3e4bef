'use strict';
// Reads a topic written in Confluent's Avro wire format (e.g. shared.<catalog>) with npm's kafkajs
// and @kafkajs/confluent-schema-registry, and prints each record as one JSON line:
//
//   node read-topic.js <bootstrap servers> <registry url> <topic> [max records, default 10]
//
// Reads committed records only, from the beginning, and stops after <max> records or 30 s of quiet.
// kafkajs has no LZ4 codec of its own: for raw.* topics (LZ4 from the publisher) register one, e.g.
// the kafkajs-lz4 package; shared.* topics are written uncompressed by the validation application.
const { Kafka, logLevel } = require('kafkajs');
const { SchemaRegistry } = require('@kafkajs/confluent-schema-registry');

const [bootstrap, registryUrl, topic, maxArg] = process.argv.slice(2);
if (!topic) {
  console.error('usage: node read-topic.js <bootstrap servers> <registry url> <topic> [max records]');
  process.exit(2);
}
const max = Number(maxArg || 10);

async function main() {
  const registry = new SchemaRegistry({ host: registryUrl });
  const kafka = new Kafka({ clientId: 'peony-reader', brokers: bootstrap.split(','), logLevel: logLevel.ERROR });
  const consumer = kafka.consumer({ groupId: `peony-reader-${process.pid}-${Date.now()}`, readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await new Promise((resolve, reject) => {
    let quiet = setTimeout(resolve, 30000);
    consumer
      .run({
        eachMessage: async ({ partition, message }) => {
          if (seen >= max) return;
          const value = await registry.decode(message.value);
          const key = message.key === null ? null : message.key.toString('utf8');
          console.log(JSON.stringify({ partition, offset: message.offset, key, value }));
          seen += 1;
          clearTimeout(quiet);
          quiet = seen >= max ? setImmediate(resolve) : setTimeout(resolve, 30000);
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
}

main().catch((e) => {
  console.error(`read-topic: ${e.message}`);
  process.exit(1);
});
