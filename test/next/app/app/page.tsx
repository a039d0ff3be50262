import { Portal } from '../components/Portal'

/** Server mode, through the README's providers and proxy route. */
export default function Home() {
  return (
    <>
      <h1>Staff portal</h1>
      <Portal />
    </>
  )
}
