// A side menu entry's label with how many items wait behind it
// (app/useCounts.ts). The count is text inside the entry, so a screen
// reader reads it as part of the entry's name ("Chờ duyệt 2"); nothing is
// shown for 0.
export default function MenuLabel({ label, count }: { label: string; count: number }) {
  if (!count) return <>{label}</>;
  return (
    <>
      {/* A long label gives way to the count (inline: the space stays in the name). */}
      <span style={{
        display: 'inline-block', maxWidth: 'calc(100% - 34px)', overflow: 'hidden', textOverflow: 'ellipsis',
        verticalAlign: 'bottom',
      }}>{label}</span>{' '}
      <span data-count={count} style={{
        display: 'inline-block', minWidth: 20, padding: '0 6px', marginInlineStart: 2, borderRadius: 10,
        background: '#a8071a', color: '#fff', fontSize: 12, lineHeight: '20px', textAlign: 'center',
      }}>
        {count}
      </span>
    </>
  );
}
