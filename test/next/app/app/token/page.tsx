import { Portal } from '../../components/Portal'

export default function TokenMode() {
  return (
    <>
      <h1>Staff portal, token mode</h1>
      <Portal />
    </>
  )
}
