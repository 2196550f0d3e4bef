'use strict';
// Independent clients, written by nobody on Peony, against Peony's embedded broker and registry:
// kafkajs produces and consumes, @kafkajs/confluent-schema-registry registers, encodes and decodes
// in Confluent's wire format. Run by NodeClientsInteropIT:
//
//   node interop.js <bootstrap servers> <registry url> <topic to produce to> <topic to consume from>
//
// Prints one line "INTEROP-RESULT {json}" on stdout; kafkajs' own logs go to stderr.
const { Kafka, logLevel } = require('kafkajs');
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry');

const [bootstrap, registryUrl, produceTopic, consumeTopic] = process.argv.slice(2);
if (!consumeTopic) {
  console.error('usage: node interop.js <bootstrap servers> <registry url> <produce topic> <consume topic>');
  process.exit(2);
}

// A record type Peony's Java side has never seen: it must read it through the registry alone.
const streetLamp = {
  type: 'record',
  name: 'StreetLamp',
  namespace: 'city.heze.interop',
  doc: 'A street lamp reported by the city lighting office.',
  fields: [
    { name: 'lampId', type: 'string', doc: 'Lamp asset number.' },
    { name: 'district', type: 'string', doc: 'District name.' },
    { name: 'watts', type: 'int', doc: 'Rated power.' },
    { name: 'online', type: 'boolean', doc: 'Whether the lamp answered its last poll.' },
    { name: 'installedAt', type: { type: 'long', logicalType: 'timestamp-millis' }, doc: 'Installation time.' },
  ],
};

const lamp = { lampId: 'HZ-MD-0001', district: '牡丹区', watts: 120, online: true, installedAt: 1735000000000 };

const toStderr = () => ({ namespace, log }) => console.error(`[kafkajs ${namespace}] ${log.message}`);

async function main() {
  const registry = new SchemaRegistry({ host: registryUrl });
  const { id } = await registry.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(streetLamp) },
    { subject: `${produceTopic}-value` },
  );

  const kafka = new Kafka({
    clientId: 'peony-interop',
    brokers: bootstrap.split(','),
    logLevel: logLevel.ERROR,
    logCreator: toStderr,
  });

  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: produceTopic,
    messages: [{ key: lamp.lampId, value: await registry.encode(id, lamp) }],
  });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: `peony-interop-${process.pid}-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: consumeTopic, fromBeginning: true });
  const consumed = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no record on ${consumeTopic} within 60 s`)), 60000);
    consumer
      .run({
        eachMessage: async ({ message }) => {
          clearTimeout(timer);
          resolve({
            key: message.key.toString('utf8'),
            schemaId: message.value.readInt32BE(1),
            value: await registry.decode(message.value),
          });
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();

  console.log(`INTEROP-RESULT ${JSON.stringify({ registeredId: id, produced: lamp, consumed })}`);
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(1);
});
