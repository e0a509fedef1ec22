#pragma once
// An input iterator over a list whose elements are read back by value
// (`list[i]` returns a copy), such as the audit's finding and rejection lists.

#include <cstddef>
#include <iterator>

namespace patuh {

template <class List, class T>
class by_value_iterator {
public:
    using iterator_category = std::input_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = T;
    by_value_iterator() = default;
    by_value_iterator(const List* list, std::size_t i) : list_(list), i_(i) {}
    T operator*() const { return (*list_)[i_]; }
    by_value_iterator& operator++() {
        ++i_;
        return *this;
    }
    by_value_iterator operator++(int) {
        by_value_iterator before = *this;
        ++i_;
        return before;
    }
    bool operator==(const by_value_iterator& o) const { return i_ == o.i_; }

private:
    const List* list_ = nullptr;
    std::size_t i_ = 0;
};

}  // namespace patuh
