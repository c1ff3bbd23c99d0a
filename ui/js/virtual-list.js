// A virtualised list: only the rows in view (plus a margin) exist in the DOM, and rows are fetched
// page by page, so a 100k-track library scrolls as smoothly as a 100-track one.

const PAGE = 200;
const OVERSCAN = 10;

export class VirtualList {
  /**
   * @param {HTMLElement} viewport scrolling container
   * @param {{rowHeight:number, fetchPage:(offset:number, limit:number)=>Promise<{total:number, rows:any[]}>,
   *          renderRow:(row:any, index:number)=>HTMLElement, onTotal?:(n:number)=>void}} options
   */
  constructor(viewport, options) {
    this.viewport = viewport;
    this.options = options;
    this.spacer = document.createElement('div');
    this.spacer.className = 'vl-spacer';
    this.viewport.replaceChildren(this.spacer);
    this.pages = new Map();
    this.pending = new Map();
    this.total = 0;
    this.generation = 0;
    this.rendered = new Map();
    this.frame = 0;
    this.viewport.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
  }

  /**
   * Drops cached rows and fetches again. A new search or sort starts from the top; new library
   * contents (`keepScroll`) keep the listener's place.
   */
  async reset({ keepScroll = false } = {}) {
    this.generation += 1;
    this.pages.clear();
    this.pending.clear();
    if (!keepScroll) this.viewport.scrollTop = 0;
    const firstPage = Math.floor(this.viewport.scrollTop / this.options.rowHeight / PAGE);
    await this.loadPage(firstPage);
    for (const node of this.rendered.values()) node.remove();
    this.rendered.clear();
    this.render();
  }

  /** Re-renders the rows in view from cached data (e.g. to move the playing highlight). */
  rerender() {
    for (const node of this.rendered.values()) node.remove();
    this.rendered.clear();
    this.render();
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  async loadPage(page) {
    if (this.pages.has(page)) return;
    if (this.pending.has(page)) return this.pending.get(page);
    const generation = this.generation;
    const promise = this.options.fetchPage(page * PAGE, PAGE).then((result) => {
      if (generation !== this.generation) return;
      this.pages.set(page, result.rows);
      this.setTotal(result.total);
      this.pending.delete(page);
      this.schedule();
    }, (err) => {
      this.pending.delete(page);
      throw err;
    });
    this.pending.set(page, promise);
    return promise;
  }

  setTotal(total) {
    if (total === this.total && this.spacer.style.height) return;
    this.total = total;
    this.spacer.style.height = `${total * this.options.rowHeight}px`;
    if (this.options.onTotal) this.options.onTotal(total);
  }

  rowAt(index) {
    const rows = this.pages.get(Math.floor(index / PAGE));
    return rows ? rows[index % PAGE] : undefined;
  }

  render() {
    const { rowHeight } = this.options;
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / rowHeight) - OVERSCAN);
    const visible = Math.ceil(this.viewport.clientHeight / rowHeight) + 2 * OVERSCAN;
    const last = Math.min(this.total, first + visible);
    for (const [index, node] of this.rendered) {
      if (index < first || index >= last) {
        node.remove();
        this.rendered.delete(index);
      }
    }
    for (let index = first; index < last; index += 1) {
      if (this.rendered.has(index)) continue;
      const row = this.rowAt(index);
      if (row === undefined) {
        this.loadPage(Math.floor(index / PAGE)).catch(() => {});
        continue;
      }
      const node = this.options.renderRow(row, index);
      node.style.transform = `translateY(${index * rowHeight}px)`;
      this.rendered.set(index, node);
      this.viewport.append(node);
    }
  }
}
