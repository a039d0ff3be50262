/** A Node stream that can be destroyed, as an upstream body is. */
export type Source = NodeJS.ReadableStream & { destroy(error?: Error): void }

/**
 * A web stream over a Node one that touches it only once read (so `toNodeHandler` can pipe the Node
 * one instead), then pauses it whenever the reader is behind.
 */
export function webStream(source: Source): ReadableStream<Uint8Array> {
  let reading = false
  return new ReadableStream(
    {
      pull(controller) {
        if (!reading) {
          reading = true
          source.on('data', (chunk: Buffer) => {
            controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
            source.pause()
          })
          source.once('end', () => controller.close())
          source.once('error', (error) => controller.error(error))
        }
        source.resume()
      },
      cancel: () => source.destroy(),
    },
    { highWaterMark: 0 },
  )
}
